import { escapeHtml } from './escape-html.js';

export interface Bar {
  label: string;
  value: number;
  /** A CSS class for the bar (colours live in the page style). */
  tone?: 'neutral' | 'added' | 'removed' | 'privileged';
}

/**
 * A horizontal bar chart as inline SVG (no script, no network): one row per bar with its label and value
 * as text, so it reads the same printed; the figure's caption and a role="img" label describe it.
 */
export function barChartSvg(title: string, bars: readonly Bar[], width = 640): string {
  const row = 26;
  const labelWidth = 230;
  const valueWidth = 80;
  const plot = width - labelWidth - valueWidth;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * row + 8;
  const summary = bars.map((b) => `${b.label}: ${b.value.toLocaleString('en-US')}`).join('; ');
  const rows = bars
    .map((b, i) => {
      const y = 4 + i * row;
      const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * plot));
      return (
        `<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" class="chart-label">${escapeHtml(b.label)}</text>` +
        `<rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${row - 8}" class="bar bar-${b.tone ?? 'neutral'}"/>` +
        `<text x="${labelWidth + w + 6}" y="${y + 17}" class="chart-value">${b.value.toLocaleString('en-US')}</text>`
      );
    })
    .join('');
  return (
    `<figure class="chart"><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" ` +
    `aria-label="${escapeHtml(`${title}. ${summary}`)}" xmlns="http://www.w3.org/2000/svg">${rows}</svg>` +
    `<figcaption>${escapeHtml(title)}</figcaption></figure>`
  );
}

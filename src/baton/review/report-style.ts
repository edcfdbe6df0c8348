/** The report page's style, inlined (no network): system fonts, readable on screen, printed and as PDF. */
export const REPORT_STYLE = `
:root { --fg: #1d2430; --muted: #5b6472; --line: #d8dde5; --bg-alt: #f4f6f9; --accent: #1f5fa8;
  --added: #2e7d32; --removed: #c62828; --privileged: #8e44ad; --risk: #b35c00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 1.8rem; margin: 0 0 4px; }
h2 { font-size: 1.35rem; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 24px 0 8px; }
a { color: var(--accent); }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta span + span::before { content: " · "; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 0 0 8px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 0; }
.figures div { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--bg-alt); }
.figures dt { color: var(--muted); font-size: 0.85rem; }
.figures dd { margin: 0; font-size: 1.5rem; font-weight: 600; }
.figures dd small { font-size: 0.8rem; font-weight: 400; color: var(--muted); display: block; }
.note { color: var(--muted); font-size: 0.9rem; }
.roles details { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; margin: 6px 0; }
.roles summary { cursor: pointer; font-weight: 600; }
.roles summary .count { font-weight: 400; color: var(--muted); }
.holders { columns: 3 14em; margin: 8px 0; padding-left: 1.2em; }
.risk-list { padding-left: 1.2em; }
.risk-count { font-weight: 700; color: var(--risk); }
.risk-count.zero { color: var(--added); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-alt); white-space: nowrap; }
tbody th { font-weight: 500; }
.num { text-align: right; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; cursor: pointer; color: inherit; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; }
th[aria-sort="descending"] button::after { content: " \\2193"; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 8px; }
.controls input { font: inherit; padding: 4px 8px; min-width: 16em; border: 1px solid var(--line); border-radius: 4px; }
.controls select, .pager button { font: inherit; }
.pager { display: flex; gap: 10px; align-items: center; color: var(--muted); }
.tag { display: inline-block; font-size: 0.78rem; padding: 0 6px; border-radius: 10px; border: 1px solid; }
.tag-inactive { color: var(--removed); border-color: var(--removed); }
.tag-risk { color: var(--risk); border-color: var(--risk); }
.tag-privileged { color: var(--privileged); border-color: var(--privileged); }
.change-added { color: var(--added); }
.change-removed { color: var(--removed); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; }
.chart { margin: 0; max-width: 640px; }
.chart figcaption { color: var(--muted); font-size: 0.9rem; text-align: center; }
.chart-label, .chart-value { font-size: 13px; fill: var(--fg); }
.bar-neutral { fill: var(--accent); }
.bar-added { fill: var(--added); }
.bar-removed { fill: var(--removed); }
.bar-privileged { fill: var(--privileged); }
.members { max-height: 16em; overflow: auto; padding: 4px 0; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav, .controls, .pager button { display: none; }
  h2 { break-after: avoid; }
  tr, .chart, .roles details { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

// A small reader for this repository's Dockerfile and .dockerignore, so the docker test can replay the
// image's steps without a container engine. It understands the instructions the Dockerfile uses, no more.

export interface Instruction {
  keyword: string;
  /** The arguments as written, continuation lines joined. */
  args: string;
  line: number;
}

export interface Stage {
  /** `FROM` image, after ARG substitution. */
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.trimEnd().endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue;
      line = `${line.trimEnd().slice(0, -1)} ${next.trim()}`;
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (m === null) throw new Error(`Dockerfile line ${start + 1}: cannot parse`);
    const keyword = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = rest.split('=');
      args[name!] = value;
      continue;
    }
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (from === null) throw new Error(`Dockerfile line ${start + 1}: bad FROM`);
      const image = from[1]!.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? '');
      stages.push({ image, name: from[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`Dockerfile line ${start + 1}: ${keyword} before FROM`);
    stage.instructions.push({ keyword, args: rest, line: start + 1 });
  }
  return { args, stages };
}

/** `["a", "b"]` (exec form) or a plain word list. */
export function words(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
}

/** `COPY [--from=x] src... dest`. */
export function parseCopy(args: string): { from: string | undefined; sources: string[]; dest: string } {
  const parts = words(args);
  let from: string | undefined;
  while (parts[0]?.startsWith('--')) {
    const flag = parts.shift()!;
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
    else if (!flag.startsWith('--chown=') && !flag.startsWith('--chmod=')) throw new Error(`COPY ${flag}`);
  }
  const dest = parts.pop();
  if (dest === undefined || parts.length === 0) throw new Error(`COPY needs a source and a destination`);
  return { from, sources: parts, dest };
}

/**
 * The subset of .dockerignore this repository uses: top-level names and `*`, `!` to re-include, last match
 * wins, an excluded directory excluding everything under it.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => ({ include: l.startsWith('!'), pattern: l.replace(/^!/, '').replace(/^\/|\/$/g, '') }));
  const matches = (pattern: string, path: string): boolean => {
    const re = new RegExp(
      `^${pattern
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}$`,
    );
    // A pattern names a file or a directory and so everything below it.
    const segments = path.split('/');
    return segments.some((_, i) => re.test(segments.slice(0, i + 1).join('/')));
  };
  return (path) => {
    let excluded = false;
    for (const rule of rules) if (matches(rule.pattern, path)) excluded = !rule.include;
    return excluded;
  };
}

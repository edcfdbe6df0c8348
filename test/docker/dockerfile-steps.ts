// The repository's Dockerfile and .dockerignore, read with the parsers that Docker tooling uses, so the docker
// test replays exactly what Docker would see: dockerfile-ast (the parser behind the Dockerfile language server:
// continuation lines, parser directives, exec-form JSON, ARG expansion, flags) and @balena/dockerignore (the
// matcher docker-modem and dockerode build contexts with: Go filepath.Match semantics, `!` exceptions, `**`).
import { createRequire } from 'node:module';
import type { Ignore } from '@balena/dockerignore';
import { DockerfileParser, type Instruction as AstInstruction } from 'dockerfile-ast';

export interface Instruction {
  keyword: string;
  /** The arguments as Docker joins them (continuation lines folded). */
  args: string;
  /** The argument words: exec-form JSON strings, else the shell words with ARG variables expanded. */
  words: string[];
  /** `--name=value` flags (COPY --from, --chown...). */
  flags: Record<string, string>;
  line: number;
}

export interface Stage {
  /** `FROM` image, ARG variables expanded. */
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

interface MaybeExecForm {
  getJSONStrings?: () => { getJSONValue(): string }[];
  getFlags?: () => { getName(): string; getValue(): string | null }[];
}

function toInstruction(ins: AstInstruction): Instruction {
  const extra = ins as AstInstruction & MaybeExecForm;
  const json = extra.getJSONStrings?.() ?? [];
  const flags: Record<string, string> = {};
  for (const flag of extra.getFlags?.() ?? []) flags[flag.getName()] = flag.getValue() ?? '';
  return {
    keyword: ins.getKeyword(),
    args: ins.getArgumentsContent() ?? '',
    words:
      json.length > 0
        ? json.map((s) => s.getJSONValue())
        : ins.getExpandedArguments().map((a) => a.getValue()),
    flags,
    line: ins.getRange().start.line + 1,
  };
}

export function parseDockerfile(text: string): { stages: Stage[] } {
  const stages: Stage[] = [];
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    const instruction = toInstruction(ins);
    if (instruction.keyword === 'FROM') {
      // `image [AS name]`, variables already expanded by the parser.
      stages.push({ image: instruction.words[0]!, name: instruction.words[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (instruction.keyword === 'ARG') continue; // global build arguments, used by FROM
      throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} before FROM`);
    }
    stage.instructions.push(instruction);
  }
  return { stages };
}

/** `COPY [--from=x] src... dest`; flags the replay cannot honour are refused, never ignored. */
export function parseCopy(ins: Instruction): { from: string | undefined; sources: string[]; dest: string } {
  for (const name of Object.keys(ins.flags)) {
    if (!['from', 'chown', 'chmod'].includes(name)) throw new Error(`COPY --${name} is not replayed`);
  }
  const sources = [...ins.words];
  const dest = sources.pop();
  if (dest === undefined || sources.length === 0) throw new Error(`COPY needs a source and a destination`);
  return { from: ins.flags.from, sources, dest };
}

// A CommonJS module whose typings declare an ES default export: load it as CommonJS so types and runtime agree.
const ignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;

/** A predicate: is this context path (relative, `/`-separated) excluded by the .dockerignore text? */
export function dockerignore(text: string): (path: string) => boolean {
  const matcher = ignore().add(text.split('\n'));
  return (path) => matcher.ignores(path);
}

import { readFileSync } from "node:fs";

/** One Dockerfile instruction, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  arguments: string;
}

/** A build stage: `FROM <base> AS <name>` and what follows it. */
export interface DockerStage {
  base: string;
  name: string | undefined;
  instructions: DockerInstruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArguments: Map<string, string | undefined>;
  stages: DockerStage[];
}

/** Parses a Dockerfile's instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(path: string): Dockerfile {
  const logical: string[] = [];
  let pending = "";
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!pending && /^\s*(#|$)/.test(line)) continue;
    if (pending && /^\s*#/.test(line)) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = "";
  }
  const globalArguments = new Map<string, string | undefined>();
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? "").toUpperCase();
    const text = (match[2] ?? "").trim();
    if (keyword === "FROM") {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(text);
      stages.push({ base: from?.[1] ?? text, name: from?.[2], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (keyword === "ARG") {
        const [name, value] = splitAssignment(text);
        globalArguments.set(name, value);
      }
      continue;
    }
    stage.instructions.push({ keyword, arguments: text });
  }
  return { globalArguments, stages };
}

function splitAssignment(text: string): [string, string | undefined] {
  const index = text.indexOf("=");
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/** Every ARG name the Dockerfile declares, globally or in a stage. */
export function declaredArguments(dockerfile: Dockerfile): Set<string> {
  const names = new Set(dockerfile.globalArguments.keys());
  for (const stage of dockerfile.stages) {
    for (const instruction of stage.instructions) {
      if (instruction.keyword === "ARG") names.add(splitAssignment(instruction.arguments)[0]);
    }
  }
  return names;
}

/** Replaces `${NAME}` and `$NAME` with the arguments' values. */
export function expandArguments(text: string, values: ReadonlyMap<string, string | undefined>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, bare) => {
    const value = values.get(braced ?? bare);
    return value ?? whole;
  });
}

/** `ENV A=1 B=2` (or the legacy `ENV A 1`) as pairs. */
export function parseEnvironment(text: string): [string, string][] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
    const [name, ...rest] = text.split(/\s+/);
    return [[name ?? "", rest.join(" ")]];
  }
  return [...text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)].map((match) => {
    const value = match[2] ?? "";
    return [match[1] ?? "", value.startsWith('"') ? (JSON.parse(value) as string) : value];
  });
}

/** `COPY [--from=stage] [--chmod=...] src... dest` */
export interface CopyInstruction {
  from: string | undefined;
  sources: string[];
  destination: string;
}

export function parseCopy(text: string): CopyInstruction {
  const words = text.split(/\s+/).filter(Boolean);
  let from: string | undefined;
  const paths: string[] = [];
  for (const word of words) {
    if (word.startsWith("--from=")) from = word.slice("--from=".length);
    else if (!word.startsWith("--")) paths.push(word);
  }
  const destination = paths.pop() ?? "";
  return { from, sources: paths, destination };
}

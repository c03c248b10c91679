import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every file and directory under `directory`, as paths relative to it (sorted). */
export function listTree(directory: string): string[] {
  try {
    return (readdirSync(directory, { recursive: true }) as string[]).sort();
  } catch {
    return [];
  }
}

/** Paths under `directories` (searched `depth` levels deep) whose name contains `marker`. */
export function pathsNamed(marker: string, directories: readonly string[], depth = 3): string[] {
  const found: string[] = [];
  const visit = (directory: string, level: number) => {
    let names: string[];
    try {
      names = readdirSync(directory);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(directory, name);
      if (name.includes(marker)) found.push(path);
      if (level < depth && statSync(path, { throwIfNoEntry: false })?.isDirectory()) visit(path, level + 1);
    }
  };
  for (const directory of directories) visit(directory, 1);
  return found;
}

/** Files under `directory` whose content holds any of `needles` (as `path: needle`). */
export function filesContaining(directory: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const entry of listTree(directory)) {
    const path = join(directory, entry);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) continue;
    const content = readFileSync(path, "latin1");
    for (const needle of needles) if (content.includes(needle)) hits.push(`${entry}: ${needle}`);
  }
  return hits;
}

/** Processes whose command line satisfies `match` (read from /proc), with their pid. */
export function processesMatching(match: (argv: string[], cwd: string) => boolean): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").filter(Boolean);
      const cwd = readlinkSync(`/proc/${name}/cwd`);
      if (match(argv, cwd)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Polls `probe` every 100 ms until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

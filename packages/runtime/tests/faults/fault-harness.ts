import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FunctionErrorBodySchema, type RunResult, RunResultSchema } from "@tf-lambda/protocol";
import { type Emulator, requireTool, startEmulator } from "@tf-lambda/testing";

/** The bundle under test (tests/global-setup.ts rebuilds it when a source file is newer). */
export const BUNDLE = resolve(import.meta.dirname, "..", "..", "dist", "bootstrap.mjs");

/** The typed answer of one invoke, whichever Runtime API route the runtime posted it to. */
export interface FaultAnswer {
  result: RunResult;
  /** The raw invoke response body. */
  text: string;
  errorType: string | undefined;
}

/** A bundled runtime under the real emulator, with every directory it may write under one private root. */
export interface FaultRuntime {
  emulator: Emulator;
  /** The private root: `work/` (TF_LAMBDA_WORK_ROOT) and `plugin-cache/` live here, nothing else may appear. */
  root: string;
  workRoot: string;
  pluginCache: string;
  /** Invokes with a payload (a string is sent as-is, so malformed JSON reaches the runtime). */
  run(payload: unknown): Promise<FaultAnswer>;
  stop(): Promise<void>;
}

/** Parses an invoke response body: a RunResult, or a FunctionErrorBody carrying one. */
export function answerOf(text: string): FaultAnswer {
  const body = JSON.parse(text) as Record<string, unknown>;
  if ("errorType" in body) {
    const error = FunctionErrorBodySchema.parse(body);
    if (!error.result) throw new Error(`an error without a result: ${text.slice(0, 2000)}`);
    return { result: error.result, text, errorType: error.errorType };
  }
  return { result: RunResultSchema.parse(body), text, errorType: undefined };
}

/** Starts the bundle under the emulator with a private root (TF_LAMBDA_WORK_ROOT and the plugin cache inside it). */
export async function startFaultRuntime(
  env: Record<string, string> = {},
  timeoutSeconds = 120,
): Promise<FaultRuntime> {
  const root = mkdtempSync(join(tmpdir(), "tf-lambda-faults-"));
  const workRoot = join(root, "work");
  const pluginCache = join(root, "plugin-cache");
  const emulator = await startEmulator({
    bootstrap: [process.execPath, BUNDLE],
    inheritEnv: false,
    timeoutSeconds,
    env: {
      TF_LAMBDA_TERRAFORM_BIN: requireTool("terraform"),
      TF_LAMBDA_WORK_ROOT: workRoot,
      TF_LAMBDA_PLUGIN_CACHE_DIR: pluginCache,
      AWS_REGION: "us-east-1",
      ...env,
    },
  });
  return {
    emulator,
    root,
    workRoot,
    pluginCache,
    async run(payload) {
      const response = await emulator.invoke(payload);
      return answerOf(response.text);
    },
    async stop() {
      await emulator.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

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

import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const WORKSPACE_NAME = /^tf-lambda-run-(\d+)-/;

/** The name prefix of the workspaces a runtime process creates (`mkdtemp` adds the random end). */
export function workspacePrefix(pid: number = process.pid): string {
  return `tf-lambda-run-${pid}-`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the workspaces a runtime left behind when it died mid-invocation (an uncaught error, Lambda killing it
 * at a timeout): they hold the request's code, variables and CLI configuration, and `/tmp` outlives the process.
 * A workspace is stale when the process that made it is gone, or is this very process (which has made none yet,
 * so the name is a dead predecessor's reused pid). Returns the names removed.
 *
 * @example
 * removeStaleWorkspaces("/tmp"); // ["tf-lambda-run-8-Xy12ab"]
 */
export function removeStaleWorkspaces(workRoot: string, ownPid: number = process.pid): string[] {
  let names: string[];
  try {
    names = readdirSync(workRoot);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(WORKSPACE_NAME.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || (pid !== ownPid && isAlive(pid))) continue;
    rmSync(join(workRoot, name), { recursive: true, force: true, maxRetries: 3 });
    removed.push(name);
  }
  return removed;
}

import { readdirSync, readFileSync } from "node:fs";

/** Pids of the direct children of `parentPid` (from /proc/<pid>/stat). */
export function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // the command name may hold spaces and parentheses: the fields after the last ')' are fixed
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === parentPid) children.push(Number(name));
    } catch {
      // gone
    }
  }
  return children;
}

/** VmRSS of a process in KiB (/proc/<pid>/status). */
export function residentKib(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** Open file descriptors of a process (/proc/<pid>/fd). */
export function openDescriptors(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The command line of a process. */
export function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
}

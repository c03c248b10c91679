/** When the deadline is near: terraform is interrupted at `interruptAt` and killed at `killAt` (epoch ms). */
export interface DeadlinePlan {
  deadlineMs: number;
  interruptAt: number;
  killAt: number;
  graceMs: number;
}

/**
 * Plans the deadline. Without a configured grace, terraform gets SIGINT 10% of the invocation's time before the
 * deadline (at least 1.5 s, at most 60 s: 60 s for a 900 s function, 1.5 s for a 10 s test), and SIGKILL a
 * quarter of the grace before it (at least 0.5 s, at most 10 s), which leaves time to post the result.
 *
 * @example
 * planDeadline(Date.now() + 900_000, Date.now()).graceMs; // 60000
 */
export function planDeadline(deadlineMs: number, nowMs: number, configuredGraceMs?: number): DeadlinePlan {
  const remaining = Math.max(0, deadlineMs - nowMs);
  const graceMs =
    configuredGraceMs ??
    Math.min(Math.max(Math.round(remaining * 0.1), 1_500), 60_000, Math.round(remaining * 0.5));
  const killMarginMs = Math.min(Math.max(Math.round(graceMs / 4), 500), 10_000, graceMs);
  return { deadlineMs, graceMs, interruptAt: deadlineMs - graceMs, killAt: deadlineMs - killMarginMs };
}

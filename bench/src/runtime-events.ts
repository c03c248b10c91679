/** The `invocation-end` event the runtime logs as a JSON line for each invocation. */
export interface InvocationEndEvent {
  requestId: string;
  status: string;
  durationMs: number;
  /** Time inside terraform's processes. */
  terraformMs?: number;
  /** durationMs - terraformMs: the runtime's own time. */
  overheadMs?: number;
}

/** The runtime's `invocation-end` events found in captured output (the emulator's stdout and stderr). */
export function invocationEndEvents(output: string): Map<string, InvocationEndEvent> {
  const events = new Map<string, InvocationEndEvent>();
  for (const line of output.split("\n")) {
    if (!line.includes('"invocation-end"')) continue;
    const start = line.indexOf("{");
    if (start === -1) continue;
    try {
      const event = JSON.parse(line.slice(start)) as InvocationEndEvent & { event?: string };
      if (event.event === "invocation-end" && event.requestId) events.set(event.requestId, event);
    } catch {
      // a terraform line that merely mentions the word
    }
  }
  return events;
}

/** Durations (ms) of each phase of the given invocations, from the runtime's `phase-end` events, by phase name. */
export function phaseDurations(output: string, requestIds: ReadonlySet<string>): Map<string, number[]> {
  const phases = new Map<string, number[]>();
  for (const line of output.split("\n")) {
    if (!line.includes('"phase-end"')) continue;
    const start = line.indexOf("{");
    if (start === -1) continue;
    try {
      const event = JSON.parse(line.slice(start)) as {
        event?: string;
        requestId?: string;
        phase?: string;
        durationMs?: number;
      };
      if (event.event !== "phase-end" || !event.requestId || !requestIds.has(event.requestId)) continue;
      if (event.phase === undefined || event.durationMs === undefined) continue;
      const list = phases.get(event.phase) ?? [];
      list.push(event.durationMs);
      phases.set(event.phase, list);
    } catch {
      // not a runtime event
    }
  }
  return phases;
}

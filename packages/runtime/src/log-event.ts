/** The fields of one structured log line of the runtime's own events. */
export interface RuntimeEvent {
  event: string;
  requestId?: string | undefined;
  command?: string | null | undefined;
  phase?: string | undefined;
  durationMs?: number | undefined;
  [field: string]: unknown;
}

/** Where runtime events and terraform's streamed lines go (stdout, which Lambda sends to CloudWatch). */
export interface RuntimeLogger {
  event(event: RuntimeEvent): void;
  /** One line of terraform's output, already redacted. */
  terraformLine(line: string): void;
}

/**
 * Logs runtime events as JSON lines and terraform's output as plain lines on stdout.
 *
 * @example
 * stdoutLogger.event({ event: "phase", requestId, command: "plan", phase: "init", durationMs: 812 });
 */
export const stdoutLogger: RuntimeLogger = {
  event(event) {
    process.stdout.write(
      `${JSON.stringify({ level: "info", time: new Date().toISOString(), source: "tf-lambda", ...event })}\n`,
    );
  },
  terraformLine(line) {
    process.stdout.write(`${line}\n`);
  },
};

import type { RunLog } from "@tf-lambda/protocol";

/**
 * The log kept for a result: whole lines, capped at `capBytes` keeping the end (where the error usually is).
 * Memory stays bounded however long terraform talks.
 *
 * @example
 * const log = new CappedLog(1024);
 * log.append("Plan: 1 to add, 0 to change, 0 to destroy.");
 * log.toRunLog(); // { text: "Plan: ...\n", truncated: false, bytes: 44 }
 */
export class CappedLog {
  private lines: string[] = [];
  private head = 0;
  private keptBytes = 0;
  private totalBytes = 0;

  constructor(private readonly capBytes: number) {}

  append(line: string): void {
    const entry = `${line}\n`;
    const size = Buffer.byteLength(entry);
    this.totalBytes += size;
    this.lines.push(entry);
    this.keptBytes += size;
    while (this.keptBytes > this.capBytes && this.head < this.lines.length - 1) {
      this.keptBytes -= Buffer.byteLength(this.lines[this.head] as string);
      this.lines[this.head] = "";
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }

  /** The capped log; `transform` (redaction) is applied before the final cut. */
  toRunLog(transform: (text: string) => string = (text) => text): RunLog {
    let text = transform(this.lines.slice(this.head).join(""));
    let buffer = Buffer.from(text);
    let truncated = this.head > 0;
    if (buffer.byteLength > this.capBytes) {
      truncated = true;
      buffer = buffer.subarray(buffer.byteLength - this.capBytes);
      // drop a partial UTF-8 sequence at the start
      while (buffer.length > 0 && ((buffer[0] as number) & 0xc0) === 0x80) buffer = buffer.subarray(1);
      text = buffer.toString("utf8");
    }
    return { text, truncated, bytes: this.totalBytes };
  }
}

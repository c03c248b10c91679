import { describe, expect, it } from "vitest";
import { CappedLog } from "../../src/run-log.js";

describe("CappedLog", () => {
  it("keeps a short log whole", () => {
    const log = new CappedLog(1024);
    log.append("one");
    log.append("two");

    expect(log.toRunLog()).toEqual({ text: "one\ntwo\n", truncated: false, bytes: 8 });
  });

  it("keeps the end of a long log and flags the truncation", () => {
    const log = new CappedLog(20);
    for (let line = 1; line <= 10; line += 1) log.append(`line ${line}`);

    const result = log.toRunLog();

    expect(result.truncated).toBe(true);
    expect(result.text.endsWith("line 10\n")).toBe(true);
    expect(Buffer.byteLength(result.text)).toBeLessThanOrEqual(20);
    expect(result.bytes).toBe(71);
  });

  it("cuts a single line longer than the cap to its end", () => {
    const log = new CappedLog(10);
    log.append("x".repeat(100));

    const result = log.toRunLog();

    expect(result.text).toBe(`${"x".repeat(9)}\n`);
    expect(result.truncated).toBe(true);
  });

  it("applies the transform (redaction) before cutting", () => {
    const log = new CappedLog(1024);
    log.append("token abcd");

    expect(log.toRunLog((text) => text.replace("abcd", "[redacted]")).text).toBe("token [redacted]\n");
  });
});

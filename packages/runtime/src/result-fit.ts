import { LAMBDA_LIMITS, RESULT_LIMITS, type RunResult } from "@tf-lambda/protocol";
import type { Redactor } from "./redactor.js";

/** Every string in a value, redacted. */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (typeof value === "string") return redactor.redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redactor)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redactor)]),
    ) as T;
  }
  return value;
}

/**
 * Makes sure the serialized result fits Lambda's response limit: cuts the log (keeping its end), then long lists.
 */
export function fitResult(
  result: RunResult,
  limitBytes: number = LAMBDA_LIMITS.syncInvokePayloadBytes,
): RunResult {
  const budget = limitBytes - RESULT_LIMITS.responseHeadroomBytes;
  let size = Buffer.byteLength(JSON.stringify(result));
  if (size <= budget) return result;
  const fitted: RunResult = { ...result, log: { ...result.log } };
  const over = size - budget;
  const logBuffer = Buffer.from(fitted.log.text);
  const keep = Math.max(0, logBuffer.byteLength - over - 1024);
  fitted.log.text = logBuffer
    .subarray(logBuffer.byteLength - keep)
    .toString("utf8")
    .replace(/^\uFFFD+/, "");
  fitted.log.truncated = true;
  size = Buffer.byteLength(JSON.stringify(fitted));
  if (size <= budget) return fitted;
  if (fitted.plan)
    fitted.plan = {
      ...fitted.plan,
      resources: fitted.plan.resources.slice(0, 1000),
      drift: fitted.plan.drift.slice(0, 1000),
    };
  fitted.diagnostics = fitted.diagnostics.slice(0, 100);
  return fitted;
}

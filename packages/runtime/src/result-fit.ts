import { LAMBDA_LIMITS, RESULT_LIMITS, type RunResult } from "@tf-lambda/protocol";
import type { Redactor } from "./redactor.js";

/** Resources (and drift entries) kept in a result that does not fit; the counts still say how many there are. */
const MAX_LISTED_RESOURCES = 1000;
/** Diagnostics kept in a result that does not fit. */
const MAX_DIAGNOSTICS = 100;
/** Characters kept of one diagnostic's detail or snippet in a result that does not fit. */
const MAX_DIAGNOSTIC_TEXT = 8 * 1024;
/** Share of the response the outputs may take before the largest ones are left out. */
const OUTPUTS_SHARE = 0.5;

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

const byteSize = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

const shorten = (text: string | undefined): string | undefined =>
  text !== undefined && text.length > MAX_DIAGNOSTIC_TEXT
    ? `${text.slice(0, MAX_DIAGNOSTIC_TEXT)}... [cut to fit the response]`
    : text;

/** Lists and diagnostic texts bounded; the counts in the plan summary are left as they are. */
function boundLists(result: RunResult): RunResult {
  const diagnostics = result.diagnostics.slice(0, MAX_DIAGNOSTICS).map((diagnostic) => {
    const bounded = { ...diagnostic };
    const detail = shorten(diagnostic.detail);
    const snippet = shorten(diagnostic.snippet);
    if (detail !== undefined) bounded.detail = detail;
    if (snippet !== undefined) bounded.snippet = snippet;
    return bounded;
  });
  const plan = result.plan && {
    ...result.plan,
    resources: result.plan.resources.slice(0, MAX_LISTED_RESOURCES),
    drift: result.plan.drift.slice(0, MAX_LISTED_RESOURCES),
  };
  return { ...result, plan, diagnostics };
}

/** Leaves out the largest outputs until the rest fit in `budget` bytes, with a warning naming each one left out. */
function boundOutputs(result: RunResult, budget: number): RunResult {
  if (byteSize(result.outputs) <= budget) return result;
  const outputs = { ...result.outputs };
  const diagnostics = [...result.diagnostics];
  const bySize = Object.entries(outputs)
    .map(([name, value]) => ({ name, bytes: byteSize(value) }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { name, bytes } of bySize) {
    if (byteSize(outputs) <= budget) break;
    delete outputs[name];
    diagnostics.push({
      severity: "warning",
      summary: `Output ${JSON.stringify(name)} left out of the result`,
      detail: `Its value is ${bytes} bytes of JSON: the result must fit Lambda's ${LAMBDA_LIMITS.syncInvokePayloadBytes}-byte response limit. It is in the state; read it from there.`,
    });
  }
  return { ...result, outputs, diagnostics };
}

/** The log cut to its last bytes so that the result fits in `budget` (whole characters, flagged as truncated). */
function cutLog(result: RunResult, budget: number): RunResult {
  const over = byteSize(result) - budget;
  if (over <= 0) return result;
  const logBuffer = Buffer.from(result.log.text);
  // the JSON escaping of the log is at least as long as the text, so cutting `over` bytes of text is enough
  const keep = Math.max(0, logBuffer.byteLength - over - 1024);
  let kept = logBuffer.subarray(logBuffer.byteLength - keep);
  while (kept.length > 0 && ((kept[0] as number) & 0xc0) === 0x80) kept = kept.subarray(1);
  return { ...result, log: { ...result.log, text: kept.toString("utf8"), truncated: true } };
}

/**
 * Makes sure the serialized result fits Lambda's response limit. When it does not: lists and diagnostic texts are
 * bounded, the largest outputs are left out (each named in a warning diagnostic) when they take more than half the
 * response, then the log is cut keeping its end. The plan's counts always stay whole.
 *
 * @example
 * const answer = JSON.stringify(fitResult(result)); // at most 6 MB
 */
export function fitResult(
  result: RunResult,
  limitBytes: number = LAMBDA_LIMITS.syncInvokePayloadBytes,
): RunResult {
  const budget = limitBytes - RESULT_LIMITS.responseHeadroomBytes;
  if (byteSize(result) <= budget) return result;
  const bounded = boundOutputs(boundLists(result), Math.floor(budget * OUTPUTS_SHARE));
  const fitted = cutLog(bounded, budget);
  if (byteSize(fitted) <= budget) return fitted;
  // still too big (e.g. many mid-sized outputs): outputs go before the result does
  return cutLog(boundOutputs(fitted, 0), budget);
}

import type { RunResult } from "@tf-lambda/protocol";
import { RuntimeApiError } from "./errors.js";
import { answerFor, type InvocationAnswer, runtimeFaultAnswer } from "./invocation-response.js";
import type { RuntimeLogger } from "./log-event.js";
import type { Invocation } from "./runtime-api.js";

/** The parts of the Runtime API the loop uses (RuntimeApiClient, or a fake in tests). */
export interface RuntimeApi {
  nextInvocation(): Promise<Invocation>;
  postResponse(requestId: string, body: string): Promise<void>;
  postError(requestId: string, errorType: string, body: string): Promise<void>;
}

export interface LoopOptions {
  api: RuntimeApi;
  handle: (
    invocation: Invocation,
  ) => Promise<{ result: RunResult; timings?: { totalMs: number; terraformMs: number } }>;
  logger: RuntimeLogger;
  /** Attempts for posting one answer (default 4). */
  postAttempts?: number;
  /** Consecutive failures of invocation/next before the loop gives up (default 5). */
  nextAttempts?: number;
  /** Base delay between retries, ms (default 200). */
  retryDelayMs?: number;
  /** Stops the loop after this many invocations (tests); unlimited by default. */
  maxInvocations?: number;
  /** Told which invocation is in flight, so a crash handler can still answer it. */
  onInvocation?: (requestId: string | undefined) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts an answer, retrying network faults and 5xx; a 4xx (e.g. already answered) is final. */
export async function postAnswer(
  api: RuntimeApi,
  requestId: string,
  answer: InvocationAnswer,
  attempts = 4,
  retryDelayMs = 200,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (answer.kind === "response") await api.postResponse(requestId, answer.body);
      else await api.postError(requestId, answer.errorType, answer.body);
      return;
    } catch (error) {
      const final = RuntimeApiError.isInstance(error) && error.isFinal;
      if (final || attempt >= attempts) throw error;
      await sleep(retryDelayMs * attempt);
    }
  }
}

/**
 * The runtime loop: take the next invocation, run it, answer it, forever. Every error of one invocation is
 * answered and the loop goes on; it returns (rejects) only when the Runtime API itself is lost.
 *
 * @example
 * await runLoop({ api: new RuntimeApiClient(address), handle: (invocation) => runInvocation(invocation, context), logger });
 */
export async function runLoop(options: LoopOptions): Promise<void> {
  const { api, logger } = options;
  const nextAttempts = options.nextAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 200;
  let served = 0;
  let nextFailures = 0;
  while (options.maxInvocations === undefined || served < options.maxInvocations) {
    let invocation: Invocation;
    try {
      invocation = await api.nextInvocation();
      nextFailures = 0;
    } catch (error) {
      nextFailures += 1;
      logger.event({
        event: "next-invocation-failed",
        attempt: nextFailures,
        message: (error as Error).message,
      });
      if (nextFailures >= nextAttempts) throw error;
      await sleep(retryDelayMs * nextFailures);
      continue;
    }
    served += 1;
    options.onInvocation?.(invocation.requestId);
    const started = performance.now();
    let answer: InvocationAnswer;
    try {
      const { result, timings } = await options.handle(invocation);
      answer = answerFor(result);
      logger.event({
        event: "invocation-end",
        requestId: invocation.requestId,
        command: result.command,
        phase: result.phase,
        status: result.status,
        durationMs: Math.round(performance.now() - started),
        ...(timings
          ? {
              terraformMs: Math.round(timings.terraformMs),
              overheadMs: Math.round(timings.totalMs - timings.terraformMs),
            }
          : {}),
      });
    } catch (error) {
      logger.event({
        event: "runtime-fault",
        requestId: invocation.requestId,
        message: (error as Error).message,
      });
      answer = runtimeFaultAnswer(invocation.requestId, error, Math.round(performance.now() - started));
    }
    try {
      await postAnswer(api, invocation.requestId, answer, options.postAttempts, retryDelayMs);
    } catch (error) {
      logger.event({
        event: "answer-failed",
        requestId: invocation.requestId,
        message: (error as Error).message,
      });
    }
    options.onInvocation?.(undefined);
  }
}

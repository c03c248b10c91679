import type { Credentials } from "@tf-lambda/protocol";
import { type AssumeRoleOptions, accountIdOf, assumeRole } from "./assume-role.js";

/** One account to run in: the role to assume there. A string is a role ARN. */
export interface AccountTarget {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  durationSeconds?: number;
  /** A name for the report (default: the account id). */
  label?: string;
}

/** What `run` receives for one account. */
export interface AccountContext {
  accountId: string | undefined;
  roleArn: string;
  label: string;
  /** The role's temporary credentials, to pass as a run's `credentials`. */
  credentials: Credentials;
  /** The `signal` given to {@link forEachAccount}, if any. */
  signal?: AbortSignal;
}

/**
 * The outcome in one account: `succeeded` when `run` resolved (and, for a run result, its status is
 * `succeeded`), `failed` when it resolved to a run result that did not succeed, `error` when assuming the
 * role or `run` threw.
 */
export type AccountOutcome<T> = {
  accountId: string | undefined;
  roleArn: string;
  label: string;
  durationMs: number;
} & ({ status: "succeeded" | "failed"; result: T } | { status: "error"; error: Error });

export interface AccountReport<T> {
  /** One entry per account, in the order given. */
  accounts: AccountOutcome<T>[];
  succeeded: number;
  failed: number;
  errors: number;
}

export interface ForEachAccountOptions
  extends Pick<AssumeRoleOptions, "stsClient" | "region" | "endpoint" | "credentials"> {
  /** Accounts in flight at once (default 4; a value that is not a number of at least 1 means the default). */
  concurrency?: number;
  /**
   * Stops starting accounts once aborted: those not started yet are reported as `error` with the signal's
   * reason. Runs already going are not stopped (pass the signal to them through `AccountContext.signal`).
   */
  signal?: AbortSignal;
}

/**
 * Runs `run` in every account, `concurrency` at a time, assuming each account's role first. One account
 * failing never stops the others; the report says what happened where.
 *
 * @example
 * const report = await forEachAccount(
 *   ["arn:aws:iam::111111111111:role/Terraform", "arn:aws:iam::222222222222:role/Terraform"],
 *   ({ credentials }) => client.plan({ dir: "./baseline", credentials }),
 *   { concurrency: 2 },
 * );
 * for (const account of report.accounts) console.log(account.label, account.status);
 */
export async function forEachAccount<T>(
  accounts: readonly (string | AccountTarget)[],
  run: (context: AccountContext) => Promise<T>,
  options: ForEachAccountOptions = {},
): Promise<AccountReport<T>> {
  const targets = accounts.map((account) => (typeof account === "string" ? { roleArn: account } : account));
  const outcomes: AccountOutcome<T>[] = new Array(targets.length);
  const requested = Math.floor(options.concurrency ?? 4);
  const concurrency = requested >= 1 ? requested : 4;
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, targets.length) }, async () => {
    while (next < targets.length) {
      const index = next;
      next += 1;
      outcomes[index] = await runInAccount(targets[index] as AccountTarget, run, options);
    }
  });
  await Promise.all(workers);
  return {
    accounts: outcomes,
    succeeded: outcomes.filter((outcome) => outcome.status === "succeeded").length,
    failed: outcomes.filter((outcome) => outcome.status === "failed").length,
    errors: outcomes.filter((outcome) => outcome.status === "error").length,
  };
}

async function runInAccount<T>(
  target: AccountTarget,
  run: (context: AccountContext) => Promise<T>,
  options: ForEachAccountOptions,
): Promise<AccountOutcome<T>> {
  const started = performance.now();
  const accountId = accountIdOf(target.roleArn);
  const identity = { accountId, roleArn: target.roleArn, label: target.label ?? accountId ?? target.roleArn };
  const signal = options.signal;
  try {
    signal?.throwIfAborted();
    const credentials = await assumeRole({ ...pickDefined(options), ...target });
    signal?.throwIfAborted();
    const result = await run({ ...identity, credentials, ...(signal ? { signal } : {}) });
    const status = isUnsuccessfulRunResult(result) ? "failed" : "succeeded";
    return { ...identity, status, result, durationMs: performance.now() - started };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    return { ...identity, status: "error", error: failure, durationMs: performance.now() - started };
  }
}

function pickDefined(options: ForEachAccountOptions): Omit<AssumeRoleOptions, "roleArn"> {
  const picked: Omit<AssumeRoleOptions, "roleArn"> = {};
  if (options.stsClient) picked.stsClient = options.stsClient;
  if (options.region) picked.region = options.region;
  if (options.endpoint) picked.endpoint = options.endpoint;
  if (options.credentials) picked.credentials = options.credentials;
  return picked;
}

function isUnsuccessfulRunResult(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const status = (value as { status?: unknown }).status;
  return "protocol" in value && (status === "failed" || status === "rejected" || status === "interrupted");
}

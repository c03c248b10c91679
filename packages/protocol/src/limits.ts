/**
 * Hard limits of AWS Lambda and the defaults tf-lambda applies inside them.
 * Every number here is named once; the client, the runtime and the module read them from here.
 */

const MEBIBYTE = 1024 * 1024;

/** Limits that AWS Lambda itself enforces. */
export const LAMBDA_LIMITS = {
  /** Request and response payload of a synchronous (`RequestResponse`) invoke: 6 MB. */
  syncInvokePayloadBytes: 6 * MEBIBYTE,
  /** Request payload of an asynchronous (`Event`) invoke: 1 MB (raised from 256 KB in October 2025). */
  asyncInvokePayloadBytes: 1 * MEBIBYTE,
  /** Function timeout, seconds. */
  minTimeoutSeconds: 1,
  maxTimeoutSeconds: 900,
  /** Function memory, MB. */
  minMemoryMb: 128,
  maxMemoryMb: 10_240,
  /** Ephemeral storage (`/tmp`), MB. */
  minEphemeralStorageMb: 512,
  maxEphemeralStorageMb: 10_240,
  /** Total size of a function's environment variables, bytes. */
  environmentBytes: 4 * 1024,
} as const;

/** Bounds on what one run request may carry, checked by the protocol schemas. */
export const REQUEST_LIMITS = {
  /** Entries in `env` (or lines in the legacy `envs`). */
  maxEnvEntries: 256,
  /** Length of one environment value, characters. */
  maxEnvValueLength: 32 * 1024,
  /** Entries in `vars`. */
  maxVars: 1_000,
  /** Length of `cliConfig`, a backend HCL text or legacy `tfvars`, characters. */
  maxTextLength: 256 * 1024,
  /** Number of `targets` or `replace` addresses. */
  maxAddresses: 500,
  /** Length of one resource address. */
  maxAddressLength: 512,
  /** `parallelism` range (terraform's default is 10). */
  minParallelism: 1,
  maxParallelism: 256,
} as const;

/** Defaults for unpacking a code archive inside the runtime; the runtime may lower them by configuration. */
export const ARCHIVE_LIMITS = {
  /** Entries in one archive. */
  maxEntries: 20_000,
  /** Sum of the uncompressed sizes of all entries. */
  maxUncompressedBytes: 512 * MEBIBYTE,
  /** Uncompressed size of one entry. */
  maxEntryBytes: 256 * MEBIBYTE,
  /** An entry larger than `ratioCheckMinBytes` whose size / compressed size exceeds this is a bomb. */
  maxCompressionRatio: 200,
  ratioCheckMinBytes: 1 * MEBIBYTE,
  /** Depth of a path inside the archive, in segments. */
  maxPathDepth: 64,
  /** Length of a path inside the archive, bytes. */
  maxPathLength: 1024,
} as const;

/** Defaults for the result a run returns. */
export const RESULT_LIMITS = {
  /** Log bytes kept in a result (the full log is streamed to stdout / CloudWatch). */
  defaultLogBytes: 1 * MEBIBYTE,
  /** Room kept free under the 6 MB response limit for everything but the log. */
  responseHeadroomBytes: 64 * 1024,
} as const;

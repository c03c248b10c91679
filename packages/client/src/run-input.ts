import {
  type Command,
  type Credentials,
  encodeBase64,
  type JsonValue,
  PROTOCOL_VERSION,
  type RunOptions,
  type RunRequest,
  RunRequestSchema,
  type S3Object,
  toRequestIssues,
} from "@tf-lambda/protocol";
import { type BackendInput, toWireBackend } from "./backend.js";
import { InvalidRunInputError } from "./errors.js";
import { type PackOptions, packDirectory } from "./pack-directory.js";

/** `RequestResponse` (default) waits for the result; `Event` queues the run and returns once Lambda accepted it. */
export type InvocationType = "RequestResponse" | "Event";

/**
 * Where the configuration comes from: exactly one of `dir` (packed with {@link packDirectory}), `zip` (an
 * archive you built), `s3` (an archive already in S3) or `bundled` (the code baked into the image; the default
 * when none is given).
 */
export interface CodeInput {
  dir?: string;
  /** Packing options for `dir`. */
  pack?: PackOptions;
  zip?: Uint8Array;
  s3?: S3Object;
  bundled?: true;
}

/** Everything a run takes besides its command. */
export interface RunInput extends CodeInput, RunOptions {
  /** A typed block (`{ type: "s3", config }`, e.g. from `s3Backend()`), `{ hcl }`, or raw HCL text. */
  backend?: BackendInput;
  /** Input variables (written as `*.auto.tfvars.json`). */
  vars?: Readonly<Record<string, JsonValue>>;
  /** Environment for terraform (`TF_VAR_*`, provider settings). Runtime-controlling names are refused. */
  env?: Readonly<Record<string, string>>;
  /** Credentials terraform runs with, e.g. from `assumeRole()`. Never logged or returned. */
  credentials?: Credentials;
  workspace?: string;
  /** Terraform CLI configuration (HCL), e.g. from `cliConfig()`. */
  cliConfig?: string;
  /** Verbose terraform logging in the result's log. */
  debug?: boolean;
  invocationType?: InvocationType;
}

/** A run input with its command, for `client.run()`. */
export interface CommandRunInput extends RunInput {
  command: Command;
}

/** A request ready to send, and the archive behind it when the code was inline (for staging). */
export interface BuiltRequest {
  request: RunRequest;
  archive?: { bytes: Uint8Array; sha256: string };
}

const OPTION_NAMES = [
  "targets",
  "replace",
  "refresh",
  "refreshOnly",
  "parallelism",
  "lockTimeout",
  "lock",
  "upgrade",
] as const satisfies readonly (keyof RunOptions)[];

/**
 * Builds the v1 request for a run and validates it with the protocol's schema, so nothing invalid is sent.
 * Throws {@link InvalidRunInputError} naming each problem.
 */
export async function buildRunRequest(input: CommandRunInput): Promise<BuiltRequest> {
  const sources = (["dir", "zip", "s3", "bundled"] as const).filter((name) => input[name] !== undefined);
  if (sources.length > 1) {
    throw new InvalidRunInputError([
      { field: "code", message: `give one code source, not ${sources.join(" and ")}` },
    ]);
  }
  let archive: BuiltRequest["archive"];
  let code: unknown;
  if (input.dir !== undefined) {
    const packed = await packDirectory(input.dir, input.pack);
    archive = { bytes: packed.bytes, sha256: packed.sha256 };
  } else if (input.zip !== undefined) {
    const { createHash } = await import("node:crypto");
    archive = { bytes: input.zip, sha256: createHash("sha256").update(input.zip).digest("hex") };
  } else if (input.s3 !== undefined) {
    code = { s3: input.s3 };
  } else {
    code = { bundled: true };
  }
  if (archive) code = { zip: encodeBase64(archive.bytes), sha256: archive.sha256 };

  const options: Record<string, unknown> = {};
  for (const name of OPTION_NAMES) if (input[name] !== undefined) options[name] = input[name];
  const candidate: Record<string, unknown> = { protocol: PROTOCOL_VERSION, command: input.command, code };
  if (input.backend !== undefined) candidate.backend = toWireBackend(input.backend);
  if (input.vars !== undefined) candidate.vars = input.vars;
  if (input.env !== undefined) candidate.env = input.env;
  if (input.credentials !== undefined) candidate.credentials = input.credentials;
  if (input.cliConfig !== undefined) candidate.cliConfig = input.cliConfig;
  if (input.workspace !== undefined) candidate.workspace = input.workspace;
  if (Object.keys(options).length > 0) candidate.options = options;
  if (input.debug !== undefined) candidate.debug = input.debug;

  const parsed = RunRequestSchema.safeParse(candidate);
  if (!parsed.success)
    throw new InvalidRunInputError(toRequestIssues(parsed.error.issues), { cause: parsed.error });
  return archive ? { request: parsed.data, archive } : { request: parsed.data };
}

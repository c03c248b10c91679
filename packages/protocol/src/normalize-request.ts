import { decodeBase64, decodeBase64Text } from "./base64.js";
import { envNameProblem } from "./env-names.js";
import { InvalidRequestError, type RequestIssue } from "./errors.js";
import { toRequestIssues } from "./issues.js";
import type { JsonValue } from "./json-value.js";
import { type LegacyRequest, LegacyRequestSchema } from "./legacy-request.js";
import { REQUEST_LIMITS } from "./limits.js";
import {
  type BackendType,
  type Command,
  CommandSchema,
  type Credentials,
  PROTOCOL_VERSION,
  type RunOptions,
  type RunRequest,
  RunRequestSchema,
} from "./request.js";

/** Where the configuration comes from, decoded. */
export type NormalizedCode =
  | { type: "zip"; zip: Uint8Array; sha256?: string }
  | { type: "s3"; bucket: string; key: string; versionId?: string; sha256?: string }
  | { type: "bundled" };

/**
 * The backend, decoded:
 * - `none`: whatever the code declares (or nothing);
 * - `block`: a typed block, rendered by the runtime;
 * - `file`: HCL holding a whole `terraform { backend ... }` block, written beside the code;
 * - `partial`: partial configuration (`key = value` lines), passed with `-backend-config=FILE`.
 */
export type NormalizedBackend =
  | { type: "none" }
  | { type: "block"; backendType: BackendType; config: Record<string, JsonValue> }
  | { type: "file"; hcl: string }
  | { type: "partial"; hcl: string };

/** One internal request, whichever form (v1 or the legacy article payload) it arrived in. */
export interface NormalizedRequest {
  format: "v1" | "legacy";
  command: Command;
  code: NormalizedCode;
  backend: NormalizedBackend;
  /** Written as `tf-lambda.auto.tfvars.json`. */
  vars: Record<string, JsonValue>;
  /** Legacy `tfvars` text, written as `terraform.tfvars`. */
  tfvarsText?: string;
  env: Record<string, string>;
  credentials?: Credentials;
  cliConfig?: string;
  workspace?: string;
  options: RunOptions;
  debug: boolean;
}

/** The command a payload names, when it names a valid one (for reporting a rejected request). */
export function commandOf(payload: unknown): Command | null {
  if (typeof payload !== "object" || payload === null) return null;
  const command = (payload as { command?: unknown }).command;
  if (command === undefined && !("protocol" in payload)) return "plan";
  const parsed = CommandSchema.safeParse(command);
  return parsed.success ? parsed.data : null;
}

/** Parses a request body (bytes, JSON text, or an already-parsed value). Throws InvalidRequestError. */
export function parseRequestBody(body: Uint8Array | string | unknown): unknown {
  if (typeof body === "string" || body instanceof Uint8Array) {
    const text = typeof body === "string" ? body : new TextDecoder().decode(body);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new InvalidRequestError(
        [{ field: "", message: `the request body is not valid JSON: ${(error as Error).message}` }],
        {
          cause: error,
        },
      );
    }
  }
  return body;
}

/**
 * Validates a request in either form and returns the one internal request the runtime runs.
 * Throws InvalidRequestError naming every bad field.
 *
 * @example
 * const request = normalizeRequest({ command: "plan" }); // the article's payload: bundled code
 * request.code; // { type: "bundled" }
 */
export function normalizeRequest(payload: unknown): NormalizedRequest {
  const value = parseRequestBody(payload);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    throw new InvalidRequestError([{ field: "", message: `the request must be a JSON object, got ${got}` }]);
  }
  if ("protocol" in value) return normalizeV1(value);
  return normalizeLegacy(value);
}

/** Like normalizeRequest, without throwing. */
export function safeNormalizeRequest(
  payload: unknown,
): { success: true; request: NormalizedRequest } | { success: false; error: InvalidRequestError } {
  try {
    return { success: true, request: normalizeRequest(payload) };
  } catch (error) {
    if (InvalidRequestError.isInstance(error)) return { success: false, error };
    throw error;
  }
}

function normalizeV1(value: object): NormalizedRequest {
  const protocol = (value as { protocol?: unknown }).protocol;
  if (protocol !== PROTOCOL_VERSION) {
    throw new InvalidRequestError([
      {
        field: "protocol",
        message: `unsupported protocol ${JSON.stringify(protocol)}; this runtime speaks "${PROTOCOL_VERSION}"`,
      },
    ]);
  }
  const parsed = RunRequestSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) throw new InvalidRequestError(toRequestIssues(parsed.error.issues));
  return fromV1(parsed.data);
}

function fromV1(request: RunRequest): NormalizedRequest {
  const normalized: NormalizedRequest = {
    format: "v1",
    command: request.command,
    code: codeFromV1(request.code),
    backend: { type: "none" },
    vars: request.vars ?? {},
    env: request.env ?? {},
    options: request.options ?? {},
    debug: request.debug ?? false,
  };
  if (request.backend) {
    normalized.backend =
      "hcl" in request.backend
        ? classifyBackendText(request.backend.hcl)
        : { type: "block", backendType: request.backend.type, config: request.backend.config };
  }
  if (request.credentials) normalized.credentials = request.credentials;
  if (request.cliConfig !== undefined) normalized.cliConfig = request.cliConfig;
  if (request.workspace !== undefined) normalized.workspace = request.workspace;
  return normalized;
}

function codeFromV1(code: RunRequest["code"]): NormalizedCode {
  if (!code || "bundled" in code) return { type: "bundled" };
  if ("zip" in code) {
    return code.sha256
      ? { type: "zip", zip: decodeBase64(code.zip), sha256: code.sha256 }
      : { type: "zip", zip: decodeBase64(code.zip) };
  }
  const { bucket, key, versionId, sha256 } = code.s3;
  return {
    type: "s3",
    bucket,
    key,
    ...(versionId !== undefined ? { versionId } : {}),
    ...(sha256 !== undefined ? { sha256 } : {}),
  };
}

/** A text holding a `terraform { ... }` block is a backend file; anything else is partial configuration. */
export function classifyBackendText(hcl: string): NormalizedBackend {
  return /(^|\n)[ \t]*terraform[ \t]*\{/.test(hcl) ? { type: "file", hcl } : { type: "partial", hcl };
}

const V1_ONLY_FIELDS = new Set(["code", "env", "vars", "credentials", "cliConfig", "workspace", "options"]);

function normalizeLegacy(value: object): NormalizedRequest {
  const parsed = LegacyRequestSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) {
    const issues = toRequestIssues(parsed.error.issues).map((issue) =>
      issue.message === "is not a known field" && V1_ONLY_FIELDS.has(issue.field)
        ? {
            ...issue,
            message: `is not a known field of the legacy payload (a v1 request needs "protocol": "${PROTOCOL_VERSION}")`,
          }
        : issue,
    );
    throw new InvalidRequestError(issues);
  }
  return fromLegacy(parsed.data);
}

function given(value: string | undefined): value is string {
  return value !== undefined && value !== "";
}

function fromLegacy(payload: LegacyRequest): NormalizedRequest {
  const issues: RequestIssue[] = [];
  const commandText = given(payload.command) ? payload.command : "plan";
  const command = CommandSchema.safeParse(commandText);
  if (!command.success) {
    issues.push({
      field: "command",
      message: `unknown command ${JSON.stringify(commandText)}; expected one of ${CommandSchema.options.join(", ")}`,
    });
  }

  const decodeText = (field: keyof LegacyRequest, text: string): string | undefined => {
    try {
      const decoded = decodeBase64Text(text);
      if (decoded.length > REQUEST_LIMITS.maxTextLength) {
        issues.push({
          field,
          message: `decodes to ${decoded.length} characters; at most ${REQUEST_LIMITS.maxTextLength}`,
        });
        return undefined;
      }
      return decoded;
    } catch {
      issues.push({ field, message: "does not decode to UTF-8 text" });
      return undefined;
    }
  };

  const normalized: NormalizedRequest = {
    format: "legacy",
    command: command.success ? command.data : "plan",
    code: { type: "bundled" },
    backend: { type: "none" },
    vars: {},
    env: {},
    options: {},
    debug: payload.debug === true || payload.debug === "true",
  };

  if (given(payload.tf_code)) normalized.code = { type: "zip", zip: decodeBase64(payload.tf_code) };
  if (given(payload.backend)) {
    const text = decodeText("backend", payload.backend);
    if (text !== undefined && text.trim() !== "") normalized.backend = classifyBackendText(text);
  }
  if (given(payload.envs)) {
    const text = decodeText("envs", payload.envs);
    if (text !== undefined) normalized.env = parseEnvLines(text, issues);
  }
  if (given(payload.tfvars)) {
    const text = decodeText("tfvars", payload.tfvars);
    if (text !== undefined) normalized.tfvarsText = text;
  }
  if (given(payload.tfconfig)) {
    const text = decodeText("tfconfig", payload.tfconfig);
    if (text !== undefined) normalized.cliConfig = text;
  }

  const hasKey = given(payload.aws_access_key);
  const hasSecret = given(payload.aws_secret_key);
  if (hasKey && hasSecret) {
    normalized.credentials = {
      accessKeyId: payload.aws_access_key as string,
      secretAccessKey: payload.aws_secret_key as string,
      ...(given(payload.aws_session_token) ? { sessionToken: payload.aws_session_token } : {}),
    };
  } else if (hasKey || hasSecret || given(payload.aws_session_token)) {
    issues.push({
      field: hasKey ? "aws_secret_key" : "aws_access_key",
      message: "is required when any of aws_access_key, aws_secret_key or aws_session_token is given",
    });
  }

  if (issues.length > 0) throw new InvalidRequestError(issues);
  return normalized;
}

/**
 * Parses `KEY=VALUE` lines (the legacy `envs`). Blank lines and `#` comments are skipped, `export ` is
 * allowed, CRLF line ends are fine, and one pair of matching quotes around a value is removed.
 */
export function parseEnvLines(text: string, issues: RequestIssue[]): Record<string, string> {
  const env: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  let count = 0;
  lines.forEach((rawLine, index) => {
    const line = rawLine.replace(/^\uFEFF/, "").trim();
    if (line === "" || line.startsWith("#")) return;
    const field = `envs line ${index + 1}`;
    const assignment = line.startsWith("export ") ? line.slice("export ".length).trimStart() : line;
    const equals = assignment.indexOf("=");
    if (equals <= 0) {
      issues.push({ field, message: "is not a KEY=VALUE line" });
      return;
    }
    const name = assignment.slice(0, equals);
    let envValue = assignment.slice(equals + 1);
    const quoted = /^(["'])(.*)\1$/s.exec(envValue);
    if (quoted) envValue = quoted[2] ?? "";
    const problem = envNameProblem(name);
    if (problem) {
      issues.push({ field, message: `'${name}' ${problem}` });
      return;
    }
    if (envValue.length > REQUEST_LIMITS.maxEnvValueLength) {
      issues.push({
        field,
        message: `the value is longer than ${REQUEST_LIMITS.maxEnvValueLength} characters`,
      });
      return;
    }
    count += 1;
    env[name] = envValue;
  });
  if (count > REQUEST_LIMITS.maxEnvEntries) {
    issues.push({ field: "envs", message: `has ${count} entries; at most ${REQUEST_LIMITS.maxEnvEntries}` });
  }
  return env;
}

import {
  type Credentials,
  isSecretLookingEnvName,
  type JsonValue,
  type NormalizedBackend,
} from "@tf-lambda/protocol";
import { decodeStringLiteral } from "./path-safety.js";

/** What replaces a secret in logs and results. */
export const REDACTED = "[redacted]";

/** Secrets shorter than this are not redacted: replacing every "1" or "ab" would garble the log and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces known secret values with a fixed marker. Secrets are added as the run learns them (payload
 * credentials, secret-looking env values, CLI config tokens, sensitive outputs).
 *
 * @example
 * const redactor = new Redactor();
 * redactor.add("hunter22");
 * redactor.redact("password is hunter22"); // "password is [redacted]"
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private ordered: string[] | undefined;

  /** Adds a secret (and, for a multi-line secret, each of its lines). */
  add(secret: string | undefined): void {
    if (secret === undefined) return;
    const candidates = secret.includes("\n") ? [secret, ...secret.split(/\r?\n/)] : [secret];
    for (const candidate of candidates) {
      if (candidate.trim().length >= MIN_SECRET_LENGTH) {
        this.secrets.add(candidate);
        // terraform quotes values in its output: add the JSON-escaped form as well
        const escaped = JSON.stringify(candidate).slice(1, -1);
        if (escaped !== candidate) this.secrets.add(escaped);
        this.ordered = undefined;
      }
    }
  }

  /** Adds every string (and the JSON text) of a value, e.g. a sensitive output. */
  addValue(value: JsonValue | undefined): void {
    if (value === undefined || value === null) return;
    if (typeof value !== "object") {
      this.add(String(value));
      return;
    }
    this.add(JSON.stringify(value));
    for (const item of Array.isArray(value) ? value : Object.values(value)) this.addValue(item);
  }

  get size(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    if (this.secrets.size === 0 || text === "") return text;
    this.ordered ??= [...this.secrets].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.ordered) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}

/** The values assigned to names that `isSecretName` accepts in HCL or JSON text (`name = "value"`, `"name": "value"`). */
function assignedSecrets(text: string, isSecretName: (name: string) => boolean): string[] {
  const assignment = /["']?([A-Za-z0-9_-]+)["']?\s*[=:]\s*"((?:[^"\\]|\\.)*)"/g;
  const secrets: string[] = [];
  for (const match of text.matchAll(assignment)) {
    const value = match[2];
    if (value && isSecretName(match[1] ?? "")) secrets.push(value, decodeStringLiteral(value));
  }
  return [...new Set(secrets)];
}

/** Token, password, secret and key values in a CLI configuration (HCL or JSON). */
export function cliConfigSecrets(text: string): string[] {
  return assignedSecrets(text, (name) => /token|password|secret|key/i.test(name));
}

/** The parts of a request that can carry secrets. */
export interface RequestSecrets {
  env: Record<string, string>;
  credentials?: Credentials | undefined;
  cliConfig?: string | undefined;
  backend?: NormalizedBackend | undefined;
  vars?: Record<string, JsonValue> | undefined;
  tfvarsText?: string | undefined;
}

/**
 * A redactor that knows the request's secrets (credentials, secret-looking env values, variables and backend
 * attributes, CLI configuration tokens) and the function's own credentials.
 *
 * @example
 * const redactor = redactorFor(request, process.env);
 * redactor.redact(line);
 */
export function redactorFor(request: RequestSecrets, runtimeEnv: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor();
  redactor.add(request.credentials?.accessKeyId);
  redactor.add(request.credentials?.secretAccessKey);
  redactor.add(request.credentials?.sessionToken);
  for (const [name, value] of Object.entries(request.env)) {
    if (isSecretLookingEnvName(name)) redactor.add(value);
  }
  for (const [name, value] of Object.entries(request.vars ?? {})) {
    if (isSecretLookingEnvName(name)) redactor.addValue(value);
  }
  const backend = request.backend;
  if (backend?.type === "block") {
    for (const [name, value] of Object.entries(backend.config)) {
      if (isSecretLookingEnvName(name)) redactor.addValue(value);
    }
  } else if (backend?.type === "file" || backend?.type === "partial") {
    for (const secret of assignedSecrets(backend.hcl, isSecretLookingEnvName)) redactor.add(secret);
  }
  if (request.tfvarsText) {
    for (const secret of assignedSecrets(request.tfvarsText, isSecretLookingEnvName)) redactor.add(secret);
  }
  if (request.cliConfig) for (const secret of cliConfigSecrets(request.cliConfig)) redactor.add(secret);
  redactor.add(runtimeEnv.AWS_ACCESS_KEY_ID);
  redactor.add(runtimeEnv.AWS_SECRET_ACCESS_KEY);
  redactor.add(runtimeEnv.AWS_SESSION_TOKEN);
  return redactor;
}

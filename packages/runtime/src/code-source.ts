import { createHash } from "node:crypto";
import { cp, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ARCHIVE_LIMITS, type NormalizedCode, RUN_ERROR_TYPES } from "@tf-lambda/protocol";
import { AwsClient } from "aws4fetch";
import { RunRefusedError } from "./errors.js";
import { extractZip } from "./extract-zip.js";

function unavailable(message: string, cause?: unknown): RunRefusedError {
  return new RunRefusedError(
    RUN_ERROR_TYPES.codeUnavailable,
    message,
    cause === undefined ? undefined : { cause },
  );
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function checkDigest(bytes: Uint8Array, expected: string | undefined, what: string): void {
  if (expected === undefined) return;
  const actual = sha256(bytes);
  if (actual !== expected) {
    throw new RunRefusedError(
      RUN_ERROR_TYPES.unsafeArchive,
      `the ${what} was refused: its sha256 is ${actual}, the request says ${expected}`,
    );
  }
}

/** The URL of an S3 object: path-style on an endpoint override (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL), else virtual-hosted. */
export function s3ObjectUrl(
  object: { bucket: string; key: string; versionId?: string },
  env: NodeJS.ProcessEnv,
): URL {
  const key = object.key.split("/").map(encodeURIComponent).join("/");
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1";
  const url = endpoint
    ? new URL(`${endpoint.replace(/\/+$/, "")}/${object.bucket}/${key}`)
    : new URL(`https://${object.bucket}.s3.${region}.amazonaws.com/${key}`);
  if (object.versionId) url.searchParams.set("versionId", object.versionId);
  return url;
}

/** Downloads an S3 object with the function's own credentials (never the request's), capped at `maxBytes`. */
export async function fetchS3Object(
  object: { bucket: string; key: string; versionId?: string },
  env: NodeJS.ProcessEnv,
  maxBytes: number,
): Promise<Uint8Array> {
  const where = `s3://${object.bucket}/${object.key}${object.versionId ? ` (version ${object.versionId})` : ""}`;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey)
    throw unavailable(`cannot fetch ${where}: the function has no AWS credentials`);
  const client = new AwsClient({
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    service: "s3",
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
    retries: 2,
  });
  let response: Response;
  try {
    response = await client.fetch(s3ObjectUrl(object, env).toString(), { method: "GET" });
  } catch (error) {
    throw unavailable(`cannot fetch ${where}: ${(error as Error).message}`, error);
  }
  if (!response.ok) {
    const text = (await response.text()).slice(0, 300);
    throw unavailable(
      `cannot fetch ${where}: S3 answered HTTP ${response.status} ${text.match(/<Code>([^<]+)<\/Code>/)?.[1] ?? ""}`.trim(),
    );
  }
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw unavailable(`${where} is ${declared} bytes; at most ${maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    if (total > maxBytes) throw unavailable(`${where} is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Puts the configuration into `codeDirectory`: extracts an inline or S3 zip (safely), or copies the code baked into
 * the image; a workspace selection shipped with the code (`.terraform/environment`) is dropped. Throws
 * RunRefusedError (UnsafeArchive, CodeUnavailable).
 *
 * @example
 * await materializeCode({ type: "bundled" }, "/tmp/tf-lambda-x/code", { bundledCodeDirectory: "/opt/tf-lambda/code", env: process.env });
 */
export async function materializeCode(
  code: NormalizedCode,
  codeDirectory: string,
  context: { bundledCodeDirectory: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  await copyCode(code, codeDirectory, context);
  // The selected workspace comes from the request only. terraform takes the name in .terraform/environment as it
  // is, so a shipped one such as "../../x" would put the local state path outside the workspace.
  await rm(join(codeDirectory, ".terraform", "environment"), { recursive: true, force: true });
}

async function copyCode(
  code: NormalizedCode,
  codeDirectory: string,
  context: { bundledCodeDirectory: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  if (code.type === "zip") {
    checkDigest(code.zip, code.sha256, "code archive");
    await extractZip(code.zip, codeDirectory);
    return;
  }
  if (code.type === "s3") {
    const bytes = await fetchS3Object(code, context.env, ARCHIVE_LIMITS.maxUncompressedBytes);
    checkDigest(bytes, code.sha256, "code archive from S3");
    await extractZip(bytes, codeDirectory);
    return;
  }
  const source = context.bundledCodeDirectory;
  const found = await stat(source).catch(() => undefined);
  if (!found?.isDirectory()) {
    throw unavailable(
      `the request brings no code and the image has none at ${source}: send code ({ zip } or { s3 }) or bake it into the image`,
    );
  }
  await cp(source, codeDirectory, {
    recursive: true,
    // symlinks become their content: the runtime writes into the copy (backend, tfvars), and a write through a
    // copied symlink would land on its target outside the workspace
    dereference: true,
    // local state left in the image's code is never carried into a run
    filter: (path) => !/^\/terraform\.tfstate(\.backup|\.d)?$/.test(path.slice(source.length)),
  });
}

import {
  type BackendBlock,
  type BackendType,
  type JsonValue,
  type RawBackend,
  renderBackendFile,
} from "@tf-lambda/protocol";

/** A typed backend block that can also show itself as HCL. */
export interface BuiltBackend extends BackendBlock {
  /** The block as terraform reads it: `terraform { backend "<type>" { ... } }`. */
  toHcl(): string;
}

/** What a run's `backend` may be: a typed block, a builder's result, `{ hcl }`, or raw HCL text. */
export type BackendInput = BackendBlock | BuiltBackend | RawBackend | string;

/** Role the S3 backend assumes to reach the state (the backend's `assume_role` object). */
export interface BackendAssumeRole {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  /** e.g. `1h`. */
  duration?: string;
  policy?: string;
  tags?: Readonly<Record<string, string>>;
}

/** Custom endpoints of the S3 backend (S3-compatible stores, LocalStack, moto, VPC endpoints). */
export interface BackendEndpoints {
  s3?: string;
  dynamodb?: string;
  sts?: string;
  iam?: string;
}

export interface S3BackendOptions {
  bucket: string;
  key: string;
  region?: string;
  encrypt?: boolean;
  kmsKeyId?: string;
  /** State locking in DynamoDB (terraform and OpenTofu before 1.10). */
  dynamodbTable?: string;
  /** State locking with a lock file in the bucket (terraform 1.10+, OpenTofu 1.10+). */
  useLockfile?: boolean;
  workspaceKeyPrefix?: string;
  /** Shorthand for `assumeRole: { roleArn }`. */
  roleArn?: string;
  assumeRole?: BackendAssumeRole;
  endpoints?: BackendEndpoints;
  usePathStyle?: boolean;
  skipCredentialsValidation?: boolean;
  skipRegionValidation?: boolean;
  skipRequestingAccountId?: boolean;
  skipMetadataApiCheck?: boolean;
  skipS3Checksum?: boolean;
  /** Any other backend argument, by its HCL name (`acl`, `sse_customer_key`...). */
  extra?: Readonly<Record<string, JsonValue>>;
}

/**
 * Wraps a typed block so it can render itself. The block stays a plain `{ type, config }` for the wire.
 *
 * @example
 * const backend = backendBlock("http", { address: "https://state.example.com/prod" });
 * console.log(backend.toHcl());
 */
export function backendBlock(type: BackendType, config: Readonly<Record<string, JsonValue>>): BuiltBackend {
  const block = { type, config: { ...config } };
  Object.defineProperty(block, "toHcl", { value: () => renderBackend(block), enumerable: false });
  return block as BuiltBackend;
}

/**
 * An S3 backend block with the option names of the AWS SDK (camelCase) mapped to terraform's.
 *
 * @example
 * const backend = s3Backend({ bucket: "acme-state", key: "prod/network.tfstate", region: "eu-west-1", dynamodbTable: "locks" });
 * await client.apply({ dir: "./network", backend });
 */
export function s3Backend(options: S3BackendOptions): BuiltBackend {
  const role = options.assumeRole ?? (options.roleArn ? { roleArn: options.roleArn } : undefined);
  const config: Record<string, JsonValue | undefined> = {
    bucket: options.bucket,
    key: options.key,
    region: options.region,
    encrypt: options.encrypt,
    kms_key_id: options.kmsKeyId,
    dynamodb_table: options.dynamodbTable,
    use_lockfile: options.useLockfile,
    workspace_key_prefix: options.workspaceKeyPrefix,
    assume_role:
      role &&
      withoutUndefined({
        role_arn: role.roleArn,
        external_id: role.externalId,
        session_name: role.sessionName,
        duration: role.duration,
        policy: role.policy,
        tags: role.tags ? { ...role.tags } : undefined,
      }),
    endpoints: options.endpoints && withoutUndefined({ ...options.endpoints }),
    use_path_style: options.usePathStyle,
    skip_credentials_validation: options.skipCredentialsValidation,
    skip_region_validation: options.skipRegionValidation,
    skip_requesting_account_id: options.skipRequestingAccountId,
    skip_metadata_api_check: options.skipMetadataApiCheck,
    skip_s3_checksum: options.skipS3Checksum,
    ...options.extra,
  };
  return backendBlock("s3", withoutUndefined(config));
}

/**
 * Backend configuration as HCL text, passed through unchanged: a whole `terraform { backend ... }` block, or
 * partial configuration (`bucket = "..."` lines) for code that declares an empty backend block.
 *
 * @example
 * const backend = hclBackend('bucket = "acme-state"\nkey = "prod.tfstate"\n');
 */
export function hclBackend(hcl: string): RawBackend {
  return { hcl };
}

/**
 * The HCL terraform reads for a backend: a typed block rendered as a backend file, raw HCL as given.
 *
 * @example
 * renderBackend({ type: "s3", config: { bucket: "acme-state", key: "prod.tfstate" } });
 * // terraform {\n  backend "s3" {\n    bucket = "acme-state"\n ...
 */
export function renderBackend(backend: BackendInput): string {
  if (typeof backend === "string") return backend;
  if ("hcl" in backend) return backend.hcl;
  return renderBackendFile(backend.type, backend.config);
}

/** The wire form of a backend input: `{ type, config }` or `{ hcl }`, nothing else. */
export function toWireBackend(backend: BackendInput): BackendBlock | RawBackend {
  if (typeof backend === "string") return { hcl: backend };
  if ("hcl" in backend) return { hcl: backend.hcl };
  return { type: backend.type, config: backend.config };
}

function withoutUndefined<T extends JsonValue>(
  record: Readonly<Record<string, T | undefined>>,
): Record<string, T> {
  const result: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) result[key] = value;
  return result;
}

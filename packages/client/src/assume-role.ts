import { AssumeRoleCommand, STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import type { Credentials } from "@tf-lambda/protocol";
import { AssumeRoleError } from "./errors.js";

export interface AssumeRoleOptions {
  roleArn: string;
  externalId?: string;
  /** Shown in CloudTrail as the session (default `tf-lambda`). */
  sessionName?: string;
  /** Lifetime of the credentials, 900 to the role's maximum (default 3600). */
  durationSeconds?: number;
  /** An STS client to use; otherwise one is created from `region`, `endpoint` and `credentials`. */
  stsClient?: STSClient;
  region?: string;
  endpoint?: string;
  /** The caller's credentials (default: the SDK's credential chain). */
  credentials?: STSClientConfig["credentials"];
}

/**
 * Temporary credentials for a role, ready for a run's `credentials` (the article's multi-account pattern:
 * one function, many accounts, each run carrying its own role's credentials).
 *
 * @example
 * const credentials = await assumeRole({ roleArn: "arn:aws:iam::111111111111:role/Terraform", externalId: "ci" });
 * await client.plan({ dir: "./baseline", credentials });
 */
export async function assumeRole(options: AssumeRoleOptions): Promise<Credentials> {
  const sts = options.stsClient ?? createStsClient(options);
  try {
    const response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        RoleSessionName: options.sessionName ?? "tf-lambda",
        DurationSeconds: options.durationSeconds ?? 3600,
        ...(options.externalId === undefined ? {} : { ExternalId: options.externalId }),
      }),
    );
    const issued = response.Credentials;
    if (!issued?.AccessKeyId || !issued.SecretAccessKey) {
      throw new AssumeRoleError(options.roleArn, "STS answered without credentials");
    }
    return {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      ...(issued.SessionToken ? { sessionToken: issued.SessionToken } : {}),
    };
  } catch (error) {
    if (AssumeRoleError.isInstance(error)) throw error;
    throw new AssumeRoleError(options.roleArn, (error as Error).message, { cause: error });
  } finally {
    if (!options.stsClient) sts.destroy();
  }
}

function createStsClient(options: AssumeRoleOptions): STSClient {
  const config: STSClientConfig = {};
  if (options.region) config.region = options.region;
  if (options.endpoint) config.endpoint = options.endpoint;
  if (options.credentials) config.credentials = options.credentials;
  return new STSClient(config);
}

/** The account id in a role ARN (`arn:aws:iam::<account>:role/...`), or undefined. */
export function accountIdOf(roleArn: string): string | undefined {
  return /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1];
}

import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { S3Object } from "@tf-lambda/protocol";
import { StagingError } from "./errors.js";

/** The content-addressed key of a staged archive: the same code is uploaded once. */
export function stagedCodeKey(sha256: string, prefix = "tf-lambda/"): string {
  return `${prefix}code/${sha256}.zip`;
}

/**
 * Uploads an archive to the staging bucket under its content-addressed key, unless an object of the same size
 * is already there, and returns the reference to send (with its sha256, which the runtime checks).
 */
export async function stageCode(
  s3: S3Client,
  bucket: string,
  archive: { bytes: Uint8Array; sha256: string },
  prefix?: string,
): Promise<S3Object> {
  const key = stagedCodeKey(archive.sha256, prefix);
  const reference: S3Object = { bucket, key, sha256: archive.sha256 };
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.ContentLength === archive.bytes.length) return reference;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 && (error as Error).name !== "NotFound") {
      throw new StagingError(`could not check s3://${bucket}/${key}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: archive.bytes,
        ContentType: "application/zip",
        Metadata: { sha256: archive.sha256 },
      }),
    );
  } catch (error) {
    throw new StagingError(
      `could not upload the code to s3://${bucket}/${key}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return reference;
}

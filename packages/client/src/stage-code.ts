import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { S3Object } from "@tf-lambda/protocol";
import { StagingError } from "./errors.js";

/** The content-addressed key of a staged archive: the same code is uploaded once. */
export function stagedCodeKey(sha256: string, prefix = "tf-lambda/"): string {
  return `${prefix}code/${sha256}.zip`;
}

/**
 * Uploads an archive to the staging bucket under its content-addressed key, unless the object there already
 * has this content (same size and the same SHA-256, from its `sha256` metadata or S3's stored checksum: a
 * size alone proves nothing), and returns the reference to send (with its sha256, which the runtime checks).
 * The upload carries the SHA-256 checksum, so S3 refuses bytes damaged on the way.
 */
export async function stageCode(
  s3: S3Client,
  bucket: string,
  archive: { bytes: Uint8Array; sha256: string },
  prefix?: string,
): Promise<S3Object> {
  const key = stagedCodeKey(archive.sha256, prefix);
  const reference: S3Object = { bucket, key, sha256: archive.sha256 };
  const checksum = Buffer.from(archive.sha256, "hex").toString("base64");
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    const sameContent = head.Metadata?.sha256 === archive.sha256 || head.ChecksumSHA256 === checksum;
    if (head.ContentLength === archive.bytes.length && sameContent) return reference;
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
        ChecksumSHA256: checksum,
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

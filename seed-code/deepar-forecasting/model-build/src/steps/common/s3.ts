// S3 helpers of the Lambda steps (URIs are parsed and written by @mlops-templates/metrics): key joins, reading objects as text or bytes, writing with the
// project's KMS key, and listing every key under a prefix.
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { formatS3Uri, type S3Location } from '@mlops-templates/metrics';

/** `prefix` + `/` + `name`, with exactly one slash between them. */
export function joinKey(prefix: string, ...names: string[]): string {
  return [prefix.replace(/\/+$/, ''), ...names.map((name) => name.replace(/^\/+|\/+$/g, ''))]
    .filter((part) => part !== '')
    .join('/');
}

/** A folder-like URI with a trailing slash. */
export function asPrefixUri(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

export async function getObjectBytes(s3: S3Client, location: S3Location): Promise<Uint8Array> {
  const response = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
  if (response.Body === undefined) throw new Error(`${formatS3Uri(location)} has no body`);
  return response.Body.transformToByteArray();
}

/** The object as UTF-8 text; `.gz` keys are decompressed. */
export async function getObjectText(s3: S3Client, location: S3Location): Promise<string> {
  const bytes = await getObjectBytes(s3, location);
  const raw = location.key.endsWith('.gz') ? gunzipSync(bytes) : Buffer.from(bytes);
  return raw.toString('utf8');
}

export async function putObjectText(
  s3: S3Client,
  location: S3Location,
  body: string,
  contentType: string,
  kmsKeyArn?: string,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: location.bucket,
      Key: location.key,
      Body: body,
      ContentType: contentType,
      ...(kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyArn } : {}),
    }),
  );
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
}

/** Every object under the prefix (all pages), in key order. */
export async function listObjects(s3: S3Client, location: S3Location): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.key, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key !== undefined) objects.push({ key: object.Key, size: object.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

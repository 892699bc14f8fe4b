// The collector's object store on Amazon S3 (the project bucket): ListObjectsV2 with StartAfter (keys
// are returned in ascending UTF-8 binary order — Amazon S3 API Reference, "ListObjectsV2"), GetObject
// (NoSuchKey → undefined) and PutObject (the bucket's default encryption, the project key, applies).
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectStorePort } from './collect';

/** The port over one bucket. */
export function s3ObjectStore(s3: S3Client, bucket: string): ObjectStorePort {
  return {
    async list(prefix, startAfter, max) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : { StartAfter: startAfter }),
            MaxKeys: Math.min(1000, max - keys.length),
          }),
        );
        for (const o of page.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token && keys.length < max);
      return keys.slice(0, max);
    },
    async read(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await object.Body?.transformToString('utf-8')) ?? '';
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async write(key, body) {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/jsonlines' }),
      );
    },
  };
}

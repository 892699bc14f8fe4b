// An in-memory S3 bucket behind aws-sdk-client-mock (PutObject, GetObject, ListObjectsV2 with prefix
// and pagination), so collector cycles can be tested end to end without AWS.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClientStub } from 'aws-sdk-client-mock';

export type S3Mock = AwsClientStub<S3Client>;

/** Objects by `bucket/key`. */
export class MemoryS3 {
  readonly objects = new Map<string, string>();
  readonly listedPrefixes: string[] = [];
  readonly gotKeys: string[] = [];

  constructor(
    readonly mock: S3Mock,
    readonly pageSize = 1000,
  ) {
    mock.on(PutObjectCommand).callsFake(async (input: { Bucket: string; Key: string; Body: unknown }) => {
      const body = input.Body;
      const text =
        typeof body === 'string'
          ? body
          : body instanceof Uint8Array
            ? new TextDecoder().decode(body)
            : String(body);
      this.objects.set(`${input.Bucket}/${input.Key}`, text);
      return {};
    });
    mock.on(GetObjectCommand).callsFake(async (input: { Bucket: string; Key: string }) => {
      this.gotKeys.push(input.Key);
      const text = this.objects.get(`${input.Bucket}/${input.Key}`);
      if (text === undefined)
        throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      return { Body: { transformToString: async () => text } } as never;
    });
    mock
      .on(ListObjectsV2Command)
      .callsFake(async (input: { Bucket: string; Prefix?: string; ContinuationToken?: string }) => {
        const prefix = input.Prefix ?? '';
        if (input.ContinuationToken === undefined) this.listedPrefixes.push(prefix);
        const keys = [...this.objects.keys()]
          .filter((k) => k.startsWith(`${input.Bucket}/${prefix}`))
          .map((k) => k.slice(input.Bucket.length + 1))
          .sort();
        const start = input.ContinuationToken ? Number(input.ContinuationToken) : 0;
        const page = keys.slice(start, start + this.pageSize);
        const next = start + this.pageSize < keys.length ? String(start + this.pageSize) : undefined;
        return {
          Contents: page.map((Key) => ({ Key })),
          KeyCount: page.length,
          IsTruncated: next !== undefined,
          ...(next !== undefined ? { NextContinuationToken: next } : {}),
        };
      });
  }

  put(bucket: string, key: string, text: string): void {
    this.objects.set(`${bucket}/${key}`, text);
  }

  get(bucket: string, key: string): string | undefined {
    return this.objects.get(`${bucket}/${key}`);
  }

  keys(bucket: string, prefix = ''): string[] {
    return [...this.objects.keys()]
      .filter((k) => k.startsWith(`${bucket}/${prefix}`))
      .map((k) => k.slice(bucket.length + 1))
      .sort();
  }
}

// S3 URIs, parsed and written once (`s3://bucket/key`), with one return shape for every caller: the
// bucket and the key (or key prefix) without a leading slash. Bucket names follow the Amazon S3 User
// Guide, "General purpose bucket naming rules" (3–63 lowercase letters, digits, dots and hyphens,
// beginning and ending with a letter or digit).
import { MetricsInputError } from './errors';

/** A bucket and a key or key prefix. */
export interface S3Location {
  readonly bucket: string;
  /** Key or key prefix, without a leading slash; empty for the whole bucket. */
  readonly key: string;
}

/** `s3://bucket[/key]` (no surrounding white space): group 1 the bucket, group 2 the key. */
export const S3_URI_PATTERN = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** Parses `s3://bucket[/key]` (surrounding white space ignored); `undefined` when it is not one. */
export function tryParseS3Uri(uri: string): S3Location | undefined {
  const match = S3_URI_PATTERN.exec(uri.trim());
  return match === null ? undefined : { bucket: match[1], key: match[2] ?? '' };
}

/** Parses `s3://bucket[/key]`; throws a {@link MetricsInputError} naming the text otherwise. */
export function parseS3Uri(uri: string): S3Location {
  const location = tryParseS3Uri(uri);
  if (location === undefined) {
    throw new MetricsInputError(`${JSON.stringify(uri)} is not an s3://bucket/key URI`);
  }
  return location;
}

/** `s3://bucket/key`. */
export function formatS3Uri(location: S3Location): string {
  return `s3://${location.bucket}/${location.key}`;
}

/** A key prefix as a folder: leading slashes dropped, a trailing `/` added unless it is empty. */
export function s3FolderPrefix(key: string): string {
  const prefix = key.replace(/^\/+/, '');
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** Parses a folder URI `s3://bucket[/prefix]`: the key as {@link s3FolderPrefix} (trailing `/`). */
export function parseS3FolderUri(uri: string): S3Location {
  const location = parseS3Uri(uri);
  return { bucket: location.bucket, key: s3FolderPrefix(location.key) };
}

// Model version identifiers as everyone in the loop writes them (a model package ARN, `<group>/7`, `7`,
// `config:<endpoint config>`), in one canonical form (pure; moved from the monitoring seed, #15).

const MODEL_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[^:]*:\d{12}:model-package\/([^/]+)\/(\d+)$/;

/**
 * The canonical form of a model version as written by anyone in the loop: a model package ARN
 * (`arn:...:model-package/<group>/7`), `<group>/7` or `7` all become `"7"`; anything else
 * (e.g. `config:<name>`) is returned trimmed.
 */
export function normaliseModelVersion(version: string): string {
  const trimmed = version.trim();
  const arn = MODEL_PACKAGE_ARN.exec(trimmed);
  if (arn) return arn[2];
  const groupVersion = /^[A-Za-z0-9-]+\/(\d+)$/.exec(trimmed);
  if (groupVersion) return groupVersion[1];
  return trimmed;
}

/** Whether two version identifiers name the same model version (see {@link normaliseModelVersion}). */
export function sameModelVersion(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return normaliseModelVersion(a) === normaliseModelVersion(b);
}

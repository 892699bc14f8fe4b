// Product versions of a template: templates/<name>/versions.json lists them (oldest first), and
// templates/<name>/versions/ holds their ProductStackHistory snapshots. Released versions are
// locked: their snapshot may never change, and releasing a name twice is refused.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProductVersionEntry, validateVersions } from '@mlops-templates/constructs';
import { z } from 'zod';

const versionsFileSchema = z.strictObject({
  versions: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        locked: z.boolean(),
        description: z.string().max(1000).optional(),
      }),
    )
    .min(1),
});

/** Path of a template's version list. */
export function versionsFile(templateDir: string): string {
  return path.join(templateDir, 'versions.json');
}

/** Directory of a template's snapshots. */
export function snapshotDirectory(templateDir: string): string {
  return path.join(templateDir, 'versions');
}

/** Reads and validates a template's version list. */
export function readVersions(templateDir: string): ProductVersionEntry[] {
  const file = versionsFile(templateDir);
  const parsed = versionsFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`${file}: ${first.path.join('.')}: ${first.message}`);
  }
  validateVersions(parsed.data.versions);
  return parsed.data.versions;
}

/** Writes a template's version list. */
export function writeVersions(templateDir: string, versions: ProductVersionEntry[]): void {
  validateVersions(versions);
  fs.writeFileSync(versionsFile(templateDir), `${JSON.stringify({ versions }, null, 2)}\n`);
}

/**
 * Returns the version list after releasing `version`:
 * - the current unlocked (draft) version becomes the locked release `version`;
 * - when every version is already locked, `version` is appended as a new locked version;
 * - a version name that is already locked is refused.
 * The caller synthesizes afterwards, which writes the new snapshot.
 */
export function releaseVersion(
  versions: ProductVersionEntry[],
  version: string,
  description?: string,
): { versions: ProductVersionEntry[]; renamedDraft?: string } {
  const existing = versions.find((v) => v.name === version);
  if (existing?.locked) {
    throw new Error(`version '${version}' is locked and cannot be released again; choose a new version name`);
  }
  const last = versions[versions.length - 1];
  const released: ProductVersionEntry = {
    name: version,
    locked: true,
    description: description ?? last.description,
  };
  if (!last.locked) {
    const next = [...versions.slice(0, -1), released];
    validateVersions(next);
    return { versions: next, renamedDraft: last.name !== version ? last.name : undefined };
  }
  const next = [...versions, { ...released, description }];
  validateVersions(next);
  return { versions: next };
}

/**
 * Returns the version list with a new unlocked draft `version` appended. Refused while the
 * current version is still a draft or when the name exists.
 */
export function startDraftVersion(
  versions: ProductVersionEntry[],
  version: string,
  description?: string,
): ProductVersionEntry[] {
  const last = versions[versions.length - 1];
  if (!last.locked) {
    throw new Error(
      `the current version '${last.name}' is still a draft; release it before starting '${version}'`,
    );
  }
  if (versions.some((v) => v.name === version)) {
    throw new Error(`version '${version}' already exists`);
  }
  const next = [...versions, { name: version, locked: false, description }];
  validateVersions(next);
  return next;
}

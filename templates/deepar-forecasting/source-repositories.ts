// The DeepAR product's seeded repositories as constructs: a CodeCommit repository seeded from each seed
// folder, or the existing third-party one (RepositoryProvider), with the packages each vendors.
import {
  ProjectNames,
  ProjectSourceRepository,
  RepositoryProviderParameters,
  toPascalCase,
  VendoredPackage,
} from '@mlops-templates/constructs';
import { Construct } from 'constructs';
import {
  SEEDED_REPOSITORIES,
  SEEDED_REPOSITORY_NAMES,
  SeededRepositoryName,
  seedDirectoryOf,
  vendoredPackagesOf,
} from './seeded-repositories';

/** A seeded repository's seed folder and vendored packages. */
export function seedOf(repo: SeededRepositoryName): {
  seedDirectory: string;
  vendoredPackages: VendoredPackage[];
} {
  return { seedDirectory: seedDirectoryOf(repo), vendoredPackages: vendoredPackagesOf(repo) };
}

/** The seeded repositories of a DeepAR project, by name (construct ids `<Repo>Repository` in `scope`). */
export function deepArSourceRepositories(
  scope: Construct,
  names: ProjectNames,
  provider: RepositoryProviderParameters,
): Record<SeededRepositoryName, ProjectSourceRepository> {
  return Object.fromEntries(
    SEEDED_REPOSITORY_NAMES.map((repo) => [
      repo,
      new ProjectSourceRepository(scope, `${toPascalCase(repo)}Repository`, {
        names,
        repository: repo,
        description: SEEDED_REPOSITORIES[repo].description,
        ...seedOf(repo),
        provider,
      }),
    ]),
  ) as Record<SeededRepositoryName, ProjectSourceRepository>;
}

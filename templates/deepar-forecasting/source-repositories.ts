// The DeepAR product's seeded repositories as constructs: a CodeCommit repository seeded from each seed
// folder, or the existing third-party one (RepositoryProvider), with the packages each vendors.
import {
  ProjectNames,
  ProjectSourceRepository,
  projectSourceRepositories,
  RepositoryProviderParameters,
  SeededRepositorySpec,
} from '@mlops-templates/constructs';
import { Construct } from 'constructs';
import {
  SEEDED_REPOSITORIES,
  SEEDED_REPOSITORY_NAMES,
  SeededRepositoryName,
  seedDirectoryOf,
  vendoredPackagesOf,
} from './seeded-repositories';

/** The DeepAR template's seeded repositories, in declaration order. */
export function deepArSeededRepositorySpecs(): (SeededRepositorySpec & { name: SeededRepositoryName })[] {
  return SEEDED_REPOSITORY_NAMES.map((name) => ({
    name,
    description: SEEDED_REPOSITORIES[name].description,
    seedDirectory: seedDirectoryOf(name),
    vendoredPackages: vendoredPackagesOf(name),
  }));
}

/** The seeded repositories of a DeepAR project, by name (construct ids `<Repo>Repository` in `scope`). */
export function deepArSourceRepositories(
  scope: Construct,
  names: ProjectNames,
  provider: RepositoryProviderParameters,
): Record<SeededRepositoryName, ProjectSourceRepository> {
  return projectSourceRepositories(scope, names, provider, deepArSeededRepositorySpecs());
}

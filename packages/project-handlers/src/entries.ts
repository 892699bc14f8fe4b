// Entry files of this package's Lambda functions and of the seeding CLI, as a typed map the product
// stacks pass to `NodejsFunction` (ProjectFunction) or bundle: a renamed or deleted entry file fails the
// type check here (`EntryModules`), and a renamed key fails it in every stack that uses it.
import * as path from 'node:path';

/** Compile-time link to each entry module: the key is the file name without `.ts`. */
type EntryModules = {
  'start-deploy-pipeline': typeof import('./start-deploy-pipeline');
  'synthetic-data': typeof import('./synthetic-data');
  'tabular-synthetic-data': typeof import('./tabular-synthetic-data');
  'tabular-synthetic-traffic': typeof import('./tabular-synthetic-traffic');
  'seed-repositories': typeof import('./seed-repositories');
  'seed-repositories-resource': typeof import('./seed-repositories-resource');
  'teardown-resource': typeof import('./teardown-resource');
};

/** Name of an entry of this package (the entry file's name without `.ts`). */
export type ProjectHandlerEntryName = keyof EntryModules;

/** The TypeScript sources (`src/`), also from the compiled `lib/` folder. */
const SOURCE_DIRECTORY = path.join(__dirname, '..', 'src');

const entry = (name: ProjectHandlerEntryName): string => path.join(SOURCE_DIRECTORY, `${name}.ts`);

/** Absolute path of each entry file, by entry name. */
export const PROJECT_HANDLER_ENTRIES: Readonly<Record<ProjectHandlerEntryName, string>> = {
  'start-deploy-pipeline': entry('start-deploy-pipeline'),
  'synthetic-data': entry('synthetic-data'),
  'tabular-synthetic-data': entry('tabular-synthetic-data'),
  'tabular-synthetic-traffic': entry('tabular-synthetic-traffic'),
  'seed-repositories': entry('seed-repositories'),
  'seed-repositories-resource': entry('seed-repositories-resource'),
  'teardown-resource': entry('teardown-resource'),
};

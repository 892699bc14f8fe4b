// Entry file of the retrain Lambda as a typed map the product stacks pass to RetrainLoop: a renamed or
// deleted entry file fails the type check here (`EntryModules`), a renamed key in every stack using it.
import * as path from 'node:path';

/** Compile-time link to each entry module: the key is the file name without `.ts`. */
type EntryModules = {
  handler: typeof import('./handler');
};

/** Name of an entry of this package (the entry file's name without `.ts`). */
export type RetrainEntryName = keyof EntryModules;

/** The TypeScript sources (`src/`), also from the compiled `lib/` folder. */
const SOURCE_DIRECTORY = path.join(__dirname, '..', 'src');

/** Absolute path of each entry file, by entry name. */
export const RETRAIN_ENTRIES: Readonly<Record<RetrainEntryName, string>> = {
  handler: path.join(SOURCE_DIRECTORY, 'handler.ts'),
};

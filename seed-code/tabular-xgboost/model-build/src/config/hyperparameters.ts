// The built-in XGBoost hyperparameters of config/hyperparameters.json, validated with the ranges of
// the SageMaker XGBoost hyperparameter reference ("XGBoost hyperparameters", Developer Guide); the
// objective, eval_metric and num_class are not here: they follow the problem type (problem.ts).
import * as path from 'node:path';
import { configFile } from '@mlops-templates/pipeline-definition';
import { z } from 'zod';

export const HYPERPARAMETERS_FILE = path.join(__dirname, '..', '..', 'config', 'hyperparameters.json');

export const hyperparametersSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.number().int().min(1),
    num_round: z.number().int().min(1).max(10000),
    max_depth: z.number().int().min(0).max(50),
    eta: z.number().min(0).max(1),
    gamma: z.number().min(0),
    min_child_weight: z.number().min(0),
    subsample: z.number().gt(0).max(1),
    colsample_bytree: z.number().gt(0).max(1),
    early_stopping_rounds: z.number().int().min(1),
  })
  .strict();

export type XgboostHyperparameters = z.infer<typeof hyperparametersSchema>;

const file = configFile(hyperparametersSchema, HYPERPARAMETERS_FILE, 'hyperparameters');

/** Validates a document; the error names each offending key. */
export const parseHyperparameters: (document: unknown, source?: string) => XgboostHyperparameters =
  file.parse;

/** Reads and validates the file. */
export const loadHyperparameters: (file?: string) => XgboostHyperparameters = file.load;

/** The tuning hyperparameters as the strings CreateTrainingJob takes (version and comment left out). */
export function hyperparameterStrings(h: XgboostHyperparameters): Record<string, string> {
  const { $comment: _comment, version: _version, ...values } = h;
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)]));
}

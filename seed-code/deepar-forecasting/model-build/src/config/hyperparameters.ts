// The DeepAR hyperparameters of config/hyperparameters.json: validated (ranges from the DeepAR
// hyperparameter reference) and rendered as the strings a CreateTrainingJob request takes.
import * as path from 'node:path';
import { configFile } from '@mlops-templates/pipeline-definition';
import { z } from 'zod';

export const HYPERPARAMETERS_FILE = path.join(__dirname, '..', '..', 'config', 'hyperparameters.json');

/** DeepAR likelihoods (`likelihood` hyperparameter). */
export const DEEPAR_LIKELIHOODS = [
  'gaussian',
  'beta',
  'negative-binomial',
  'student-T',
  'deterministic-L1',
] as const;

export const hyperparametersSchema = z
  .object({
    $comment: z.string().optional(),
    /** Version of this file's content; bump it on every change. */
    version: z.number().int().min(1),
    /** Time points the model sees before the forecast; "prediction_length" = the project's horizon. */
    context_length: z.union([z.literal('prediction_length'), z.number().int().min(1).max(2000)]),
    epochs: z.number().int().min(1).max(1000),
    mini_batch_size: z.number().int().min(32).max(1028),
    learning_rate: z.number().min(1e-4).max(0.1),
    num_cells: z.number().int().min(30).max(200),
    num_layers: z.number().int().min(1).max(8),
    dropout_rate: z.number().min(0).max(0.2),
    likelihood: z.enum(DEEPAR_LIKELIHOODS),
    embedding_dimension: z.number().int().min(1).max(1000),
  })
  .strict();

export type DeepArHyperparameters = z.infer<typeof hyperparametersSchema>;

const file = configFile(hyperparametersSchema, HYPERPARAMETERS_FILE, 'hyperparameters');

/** Validates a document; the error names each offending key. */
export const parseHyperparameters: (document: unknown, source?: string) => DeepArHyperparameters = file.parse;

/** Reads and validates the file. */
export const loadHyperparameters: (file?: string) => DeepArHyperparameters = file.load;

/** The context length in time steps (resolving "prediction_length"). */
export function resolveContextLength(
  hyperparameters: DeepArHyperparameters,
  predictionLength: number,
): number {
  return hyperparameters.context_length === 'prediction_length'
    ? predictionLength
    : hyperparameters.context_length;
}

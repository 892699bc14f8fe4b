// The model-build settings of config/pipeline.json (split fractions, gate defaults per metric,
// approval, instance types of the processing, training and baseline jobs, the identity columns of an
// s3 source), validated with zod.
import * as path from 'node:path';
import { configFile } from '@mlops-templates/pipeline-definition';
import { z } from 'zod';

export const PIPELINE_CONFIG_FILE = path.join(__dirname, '..', '..', 'config', 'pipeline.json');

const instanceType = z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'an ml.* instance type');
/** A column of the data, or null for none (a CSV column name: no separator, quote or line break). */
const column = z
  .string()
  .trim()
  .min(1, 'must be a non-empty column name or null')
  .regex(/^[^,"\r\n]+$/, 'must not contain a comma, a double quote or a line break')
  .nullable();

const job = {
  instanceType,
  volumeSizeInGB: z.number().int().min(1).max(1024),
  maxRuntimeInSeconds: z.number().int().min(60).max(432000),
};

export const pipelineConfigSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.number().int().min(1),
    split: z
      .object({
        /** Share of the rows held out for the evaluation and the model-quality baseline. */
        testFraction: z.number().gt(0).lt(0.5),
        /** Share of the rows XGBoost early-stops on. */
        validationFraction: z.number().gt(0).lt(0.5),
        /** Seed of the shuffle: the same data gives the same split. */
        seed: z.number().int().min(0),
      })
      .strict()
      .refine((split) => split.testFraction + split.validationFraction < 0.8, {
        message: 'testFraction + validationFraction must leave at least 20% of the rows for training',
      }),
    gate: z
      .object({
        /** The GateThreshold default per gate metric, when the SSM parameter says "default". */
        defaultThresholds: z
          .object({
            rmse: z.number().positive(),
            mae: z.number().positive(),
            auc: z.number().gt(0).max(1),
            f1: z.number().gt(0).max(1),
          })
          .strict(),
      })
      .strict(),
    registration: z.object({ autoApprove: z.boolean() }).strict(),
    /**
     * The columns of DATA_SOURCE_TYPE=s3 data that are no features (synthetic data has the
     * generator's, a Feature Group its own): dropped by PrepareData; the event time also selects the
     * newest rows the data-quality baseline describes. Null: the data have no such column.
     */
    s3Source: z
      .object({
        $comment: z.string().optional(),
        recordIdentifierColumn: column,
        eventTimeColumn: column,
      })
      .strict()
      .refine((c) => c.recordIdentifierColumn === null || c.recordIdentifierColumn !== c.eventTimeColumn, {
        message: 'recordIdentifierColumn and eventTimeColumn must differ',
      }),
    processing: z.object({ ...job, instanceCount: z.literal(1) }).strict(),
    training: z.object({ ...job, instanceCount: z.number().int().min(1).max(20) }).strict(),
    baselines: z.object(job).strict(),
  })
  .strict();

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

const file = configFile(pipelineConfigSchema, PIPELINE_CONFIG_FILE, 'pipeline config');

/** Validates a document; the error names each offending key. */
export const parsePipelineConfig: (document: unknown, source?: string) => PipelineConfig = file.parse;

/** Reads and validates the file. */
export const loadPipelineConfig: (file?: string) => PipelineConfig = file.load;

// The model-build settings of config/pipeline.json (data window, backtest windows, gate default,
// approval, instance types, Lambda step settings), validated with zod.
import * as path from 'node:path';
import type { ResampleAggregation } from '@mlops-templates/metrics';
import { configFile } from '@mlops-templates/pipeline-definition';
import { z } from 'zod';

export const PIPELINE_CONFIG_FILE = path.join(__dirname, '..', '..', 'config', 'pipeline.json');

/** Most backtest windows: the per-window wQL list must fit a model package metadata value (256 characters). */
export const MAX_BACKTEST_WINDOWS = 20;

const instanceType = z
  .string()
  .regex(/^ml\.[a-z0-9]+\.[0-9]*x?(large|medium|small)$/, 'an ml.* instance type');

export const RESAMPLE_AGGREGATIONS = [
  'mean',
  'sum',
  'last',
] as const satisfies readonly ResampleAggregation[];
export type { ResampleAggregation };

export const pipelineConfigSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.number().int().min(1),
    data: z
      .object({
        /**
         * Days of history read per run, at least (default of the TrainingWindowDays parameter); the
         * data step reads longer when the frequency × the steps a build needs is longer.
         */
        trainingWindowDays: z.number().int().min(1).max(3650),
        /** Backtest windows K (default of the BacktestWindows parameter). */
        backtestWindows: z.number().int().min(1).max(MAX_BACKTEST_WINDOWS),
        /** How several observations falling in one time step are combined. */
        resampleAggregation: z.enum(RESAMPLE_AGGREGATIONS),
      })
      .strict(),
    gate: z
      .object({
        /** Largest backtest mean wQL that registers a model, when the SSM parameter says "default". */
        defaultThreshold: z.number().positive().finite(),
      })
      .strict(),
    registration: z.object({ autoApprove: z.boolean() }).strict(),
    training: z
      .object({
        instanceType,
        instanceCount: z.number().int().min(1).max(20),
        volumeSizeInGB: z.number().int().min(1).max(1024),
        maxRuntimeInSeconds: z.number().int().min(60).max(432000),
      })
      .strict(),
    transform: z
      .object({
        instanceType,
        instanceCount: z.number().int().min(1).max(20),
        batchStrategy: z.enum(['MultiRecord', 'SingleRecord']),
        maxPayloadInMB: z.number().int().min(1).max(100),
        /** Sample paths DeepAR draws to estimate the mean and quantiles. */
        numSamples: z.number().int().min(1).max(1000),
      })
      .strict(),
    lambdaSteps: z
      .object({
        runtime: z.enum(['nodejs22.x', 'nodejs24.x']),
        architecture: z.enum(['arm64', 'x86_64']),
        memorySizeMb: z.number().int().min(128).max(10240),
        /** A pipeline Lambda step waits at most 10 minutes for its function. */
        timeoutSeconds: z.number().int().min(30).max(600),
      })
      .strict(),
  })
  .strict();

export type PipelineConfig = z.infer<typeof pipelineConfigSchema>;

const file = configFile(pipelineConfigSchema, PIPELINE_CONFIG_FILE, 'pipeline config');

/** Validates a document; the error names each offending key. */
export const parsePipelineConfig: (document: unknown, source?: string) => PipelineConfig = file.parse;

/** Reads and validates the file. */
export const loadPipelineConfig: (file?: string) => PipelineConfig = file.load;

// The collector function's environment (set by the monitoring stack), read with the contract's schemas
// at cold start; a missing or bad variable fails with a message naming it.
import { pickEnvironment, readEnvironment } from '@mlops-templates/project-contract';
import { z } from 'zod';
import type { ProblemType } from '../problem-type';

/** The contract variables the collector reads. */
export const COLLECTOR_VARIABLES = [
  'STAGE',
  'PROJECT_BUCKET',
  'LABELS_PREFIX',
  'GROUND_TRUTH_PREFIX',
  'MONITORING_PREFIX',
  'PROBLEM_TYPE',
  'COLLECTOR_SETTINGS',
] as const;

const settingsSchema = z.object({ maxObjectsPerRun: z.number().int().min(1).max(10_000) }).strict();

/** What one collection needs. */
export interface CollectorEnvironment {
  readonly stage: 'staging' | 'prod';
  readonly bucket: string;
  /** `<LABELS_PREFIX><stage>/`: where the application writes labels. */
  readonly labelsPrefix: string;
  /** GROUND_TRUTH_PREFIX: the merge records go to `<prefix><stage>/yyyy/mm/dd/hh/`. */
  readonly groundTruthPrefix: string;
  /** The collector's state object. */
  readonly stateKey: string;
  readonly problemType: ProblemType;
  readonly maxObjectsPerRun: number;
}

/** Reads and checks the environment. Throws one message listing every problem. */
export function readCollectorEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): CollectorEnvironment {
  const read = readEnvironment(pickEnvironment(COLLECTOR_VARIABLES), env);
  if (!read.success) throw new Error(`collector environment: ${read.problems.join('; ')}`);
  const v = read.data;
  let settings: unknown;
  try {
    settings = JSON.parse(v.COLLECTOR_SETTINGS);
  } catch {
    throw new Error('collector environment: COLLECTOR_SETTINGS is not JSON');
  }
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new Error(`collector environment: COLLECTOR_SETTINGS: ${z.prettifyError(parsed.error)}`);
  }
  const labelsPrefix = `${v.LABELS_PREFIX}${v.STAGE}/`;
  const groundTruthStage = `${v.GROUND_TRUTH_PREFIX}${v.STAGE}/`;
  // The merge job reads everything under <ground truth><stage>/: raw labels must never be in there.
  if (labelsPrefix.startsWith(groundTruthStage) || groundTruthStage.startsWith(labelsPrefix)) {
    throw new Error(
      `collector environment: LABELS_PREFIX (${labelsPrefix}) and GROUND_TRUTH_PREFIX (${groundTruthStage}) overlap`,
    );
  }
  return {
    stage: v.STAGE,
    bucket: v.PROJECT_BUCKET,
    labelsPrefix,
    groundTruthPrefix: v.GROUND_TRUTH_PREFIX,
    stateKey: `${v.MONITORING_PREFIX}${v.STAGE}/ground-truth-collector-state.json`,
    problemType: v.PROBLEM_TYPE,
    maxObjectsPerRun: parsed.data.maxObjectsPerRun,
  };
}

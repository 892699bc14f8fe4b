// The pipeline definition: parameters, steps and optional experiment configuration rendered as
// the JSON document of schema version 2020-12-01, with names and references checked first.
import { PipelineVariable } from './expressions';
import { DefinitionValueError, JsonObject, toJson } from './json';
import { Parameter, ParameterDocument } from './parameters';
import { findDefinitionProblems } from './references';
import { ConditionStep, Step, StepDocument } from './steps';

export const DEFINITION_VERSION = '2020-12-01';

export interface PipelineDefinitionDocument {
  Version: typeof DEFINITION_VERSION;
  Metadata: Record<string, string>;
  Parameters: ParameterDocument[];
  PipelineExperimentConfig?: JsonObject;
  Steps: StepDocument[];
}

/** Where SageMaker records the execution in SageMaker Experiments. */
export interface PipelineExperimentConfig {
  readonly experimentName: string | PipelineVariable;
  readonly trialName: string | PipelineVariable;
}

export interface PipelineDefinitionProps {
  readonly parameters?: readonly Parameter[];
  /**
   * Top-level steps. Steps placed in a Condition step's branches are rendered inside that
   * Condition step; listing them here as well is allowed (they are not repeated).
   */
  readonly steps: readonly Step[];
  readonly experimentConfig?: PipelineExperimentConfig;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Every problem found while building a definition, one per line in the message. */
export class PipelineDefinitionError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid pipeline definition:\n- ${problems.join('\n- ')}`);
    this.name = 'PipelineDefinitionError';
  }
}

/** Maps each step placed in a Condition branch to that Condition step; reports double placement. */
function branchOwners(steps: readonly Step[], problems: string[]): Map<Step, ConditionStep> {
  const owners = new Map<Step, ConditionStep>();
  const visited = new Set<Step>();
  const visit = (step: Step): void => {
    if (visited.has(step) || !(step instanceof ConditionStep)) return;
    visited.add(step);
    for (const child of [...step.ifSteps, ...step.elseSteps]) {
      const owner = owners.get(child);
      if (owner !== undefined) {
        problems.push(
          `step "${child.name}" is placed in the branches of both "${owner.name}" and "${step.name}"`,
        );
      } else {
        owners.set(child, step);
      }
      visit(child);
    }
  };
  steps.forEach(visit);
  return owners;
}

export class PipelineDefinition {
  readonly parameters: readonly Parameter[];
  readonly steps: readonly Step[];
  private readonly props: PipelineDefinitionProps;

  constructor(props: PipelineDefinitionProps) {
    this.parameters = [...(props.parameters ?? [])];
    this.steps = [...props.steps];
    this.props = props;
  }

  /**
   * The definition document. Throws `PipelineDefinitionError` listing every problem: duplicate
   * or invalid names, references to undeclared parameters or to steps not in the definition
   * (anywhere: arguments, conditions, Join, JsonGet), undeclared Lambda outputs or property
   * files, unknown DependsOn targets, dependency cycles, values JSON cannot hold.
   */
  render(): PipelineDefinitionDocument {
    const problems: string[] = [];
    const owners = branchOwners(this.steps, problems);
    const topLevel = this.steps.filter(
      (step, index) => !owners.has(step) && this.steps.indexOf(step) === index,
    );

    const steps: StepDocument[] = [];
    for (const step of topLevel) {
      try {
        steps.push(step.toDocument());
      } catch (error) {
        if (!(error instanceof DefinitionValueError)) throw error;
        problems.push(error.message);
      }
    }

    const document: PipelineDefinitionDocument = {
      Version: DEFINITION_VERSION,
      Metadata: { ...(this.props.metadata ?? {}) },
      Parameters: this.parameters.map((parameter) => parameter.toDocument()),
      Steps: steps,
    };
    if (this.props.experimentConfig !== undefined) {
      const { experimentName, trialName } = this.props.experimentConfig;
      document.PipelineExperimentConfig = toJson(
        { ExperimentName: experimentName, TrialName: trialName },
        'PipelineExperimentConfig',
      ) as JsonObject;
    }

    if (problems.length === 0) problems.push(...findDefinitionProblems(document));
    if (problems.length > 0) throw new PipelineDefinitionError(problems);
    return document;
  }

  /** The rendered definition as JSON text (what CreatePipeline's PipelineDefinition takes). */
  toJson(indent?: number): string {
    return JSON.stringify(this.render(), null, indent);
  }
}

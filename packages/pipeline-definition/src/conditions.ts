// Conditions of a Condition step, in the JSON shapes the SageMaker Python SDK emits: comparisons
// (LeftValue/RightValue), In (QueryValue/Values), Not (Expression) and Or (Conditions).
import { PipelineVariable } from './expressions';

/** An operand: a literal or a value resolved at run time (parameter, property, JsonGet, ...). */
export type ConditionOperand = string | number | boolean | PipelineVariable;

export type ComparisonType =
  'Equals' | 'GreaterThan' | 'GreaterThanOrEqualTo' | 'LessThan' | 'LessThanOrEqualTo';

export abstract class Condition {
  abstract readonly type: string;
  /** The request object; pipeline variables inside are rendered when the step is rendered. */
  abstract toRequest(): Record<string, unknown>;
}

export abstract class ConditionComparison extends Condition {
  protected constructor(
    readonly type: ComparisonType,
    readonly left: ConditionOperand,
    readonly right: ConditionOperand,
  ) {
    super();
  }

  toRequest(): Record<string, unknown> {
    return { Type: this.type, LeftValue: this.left, RightValue: this.right };
  }
}

export class ConditionEquals extends ConditionComparison {
  constructor(left: ConditionOperand, right: ConditionOperand) {
    super('Equals', left, right);
  }
}

export class ConditionGreaterThan extends ConditionComparison {
  constructor(left: ConditionOperand, right: ConditionOperand) {
    super('GreaterThan', left, right);
  }
}

export class ConditionGreaterThanOrEqualTo extends ConditionComparison {
  constructor(left: ConditionOperand, right: ConditionOperand) {
    super('GreaterThanOrEqualTo', left, right);
  }
}

export class ConditionLessThan extends ConditionComparison {
  constructor(left: ConditionOperand, right: ConditionOperand) {
    super('LessThan', left, right);
  }
}

export class ConditionLessThanOrEqualTo extends ConditionComparison {
  constructor(left: ConditionOperand, right: ConditionOperand) {
    super('LessThanOrEqualTo', left, right);
  }
}

/** True when `value` equals one of `inValues`. */
export class ConditionIn extends Condition {
  readonly type = 'In';
  readonly inValues: readonly ConditionOperand[];

  constructor(
    readonly value: ConditionOperand,
    inValues: readonly ConditionOperand[],
  ) {
    super();
    if (inValues.length === 0) throw new Error('ConditionIn needs at least one value to compare with');
    this.inValues = [...inValues];
  }

  toRequest(): Record<string, unknown> {
    return { Type: this.type, QueryValue: this.value, Values: this.inValues };
  }
}

/** Conditions that can be negated or combined with Or (the shapes SageMaker accepts there). */
export type SimpleCondition = ConditionComparison | ConditionIn;

export class ConditionNot extends Condition {
  readonly type = 'Not';
  constructor(readonly expression: SimpleCondition) {
    super();
  }

  toRequest(): Record<string, unknown> {
    return { Type: this.type, Expression: this.expression.toRequest() };
  }
}

export class ConditionOr extends Condition {
  readonly type = 'Or';
  readonly conditions: readonly SimpleCondition[];

  constructor(conditions: readonly SimpleCondition[]) {
    super();
    if (conditions.length === 0) throw new Error('ConditionOr needs at least one condition');
    this.conditions = [...conditions];
  }

  toRequest(): Record<string, unknown> {
    return { Type: this.type, Conditions: this.conditions.map((condition) => condition.toRequest()) };
  }
}

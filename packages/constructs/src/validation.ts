// Property validation shared by the constructs: the AWS name rules they rely on (each with the
// documentation page that states it), integer ranges, non-empty lists and positive durations. Every
// error names the property. Unresolved tokens are let through: their value is known only at deploy
// time, where the service itself checks it.
import { Duration, Token } from 'aws-cdk-lib';

/** A naming rule of an AWS resource: length bounds and allowed characters. */
export interface NameRule {
  /** What the name is, for messages (`a Lambda function name`). */
  readonly what: string;
  /** Minimum length. */
  readonly minLength: number;
  /** Maximum length. */
  readonly maxLength: number;
  /** The whole name must match. */
  readonly pattern: RegExp;
  /** The allowed characters, for messages. */
  readonly allowed: string;
  /** Names the pattern matches but the service still refuses (suffixes and the like). */
  readonly forbidden?: RegExp;
}

/** AWS Lambda API Reference, "CreateFunction": FunctionName (a name, not an ARN) is 1–64 of [a-zA-Z0-9-_]. */
export const LAMBDA_FUNCTION_NAME: NameRule = {
  what: 'a Lambda function name',
  minLength: 1,
  maxLength: 64,
  pattern: /^[a-zA-Z0-9_-]+$/,
  allowed: 'letters, digits, - and _',
};

/**
 * IAM User Guide, "IAM and AWS STS quotas": role names are at most 64 characters, of letters, digits
 * and + = , . @ _ - (IAM name requirements).
 */
export const IAM_ROLE_NAME: NameRule = {
  what: 'an IAM role name',
  minLength: 1,
  maxLength: 64,
  pattern: /^[\w+=,.@-]+$/,
  allowed: 'letters, digits and + = , . @ _ -',
};

/** IAM User Guide, "IAM and AWS STS quotas": managed policy names are at most 128 characters, as role names. */
export const IAM_MANAGED_POLICY_NAME: NameRule = {
  ...IAM_ROLE_NAME,
  what: 'an IAM managed policy name',
  maxLength: 128,
};

/**
 * AWS CodeCommit API Reference, "CreateRepository": repositoryName is 1–100 characters of [\w.-]
 * (letters, digits, dash, underscore, period); the suffix .git is prohibited.
 */
export const CODECOMMIT_REPOSITORY_NAME: NameRule = {
  what: 'a CodeCommit repository name',
  minLength: 1,
  maxLength: 100,
  pattern: /^[\w.-]+$/,
  allowed: 'letters, digits, -, _ and .',
  forbidden: /\.git$/i,
};

/** Throws, naming `property`, when the literal `value` breaks `rule`; tokens pass. */
export function validateName(property: string, value: string, rule: NameRule): void {
  if (Token.isUnresolved(value)) return;
  if (value.length < rule.minLength || value.length > rule.maxLength) {
    throw new Error(
      `${property}: ${rule.what} has ${rule.minLength}–${rule.maxLength} characters, got ${value.length} ('${value}')`,
    );
  }
  if (!rule.pattern.test(value)) {
    throw new Error(`${property}: '${value}' is not ${rule.what} (allowed: ${rule.allowed})`);
  }
  if (rule.forbidden?.test(value)) {
    throw new Error(`${property}: '${value}' is not ${rule.what} (must not match ${rule.forbidden})`);
  }
}

/** Throws, naming `property`, unless `value` (when given and not a token) is a whole number in [min, max]. */
export function validateIntegerRange(
  property: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${property}: must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** Throws, naming `property`, when the (literal) list is empty. */
export function validateNotEmpty(property: string, list: readonly unknown[] | undefined, what: string): void {
  if (list === undefined || Token.isUnresolved(list)) return;
  if (list.length === 0) throw new Error(`${property}: at least one ${what} is required`);
}

/**
 * Throws, naming `property`, unless `duration` (when given and not a token) is a whole number of
 * minutes in [minMinutes, maxMinutes]. (Duration itself refuses negative amounts.)
 */
export function validateMinutes(
  property: string,
  duration: Duration | undefined,
  minMinutes: number,
  maxMinutes: number,
): void {
  if (duration === undefined || duration.isUnresolved()) return;
  const minutes = duration.toMilliseconds() / 60_000;
  if (!Number.isInteger(minutes) || minutes < minMinutes || minutes > maxMinutes) {
    throw new Error(
      `${property}: must be a whole number of minutes from ${minMinutes} to ${maxMinutes}, got ${duration.toHumanString()}`,
    );
  }
}

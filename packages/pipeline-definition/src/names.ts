// Name rules shared by the builder and the reference checker: step and parameter names follow the
// schema's `StepName`/`ParameterName` pattern; property-file and Lambda-output names appear inside
// `Get` paths, so they follow the same pattern to keep those paths unambiguous.

export const NAME_PATTERN = /^[A-Za-z0-9\-_]{1,64}$/;

export type NamedThing = 'step' | 'parameter' | 'property file' | 'Lambda output';

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

export function assertValidName(kind: NamedThing, name: string): void {
  if (typeof name !== 'string' || !isValidName(name)) {
    throw new Error(
      `invalid ${kind} name ${JSON.stringify(name)}: use 1-64 characters among A-Z, a-z, 0-9, '-' and '_'`,
    );
  }
}

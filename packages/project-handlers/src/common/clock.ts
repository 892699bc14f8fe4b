// The clock the pure cores take, injected so they can be tested with a fixed time. (Their logger is the
// shared `LogPort` of @mlops-templates/metrics, with `powertoolsLogPort` in the Lambda handlers.)

/** Returns the current time. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

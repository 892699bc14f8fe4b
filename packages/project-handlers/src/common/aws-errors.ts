// Classification of AWS SDK errors: which ones mean "the thing is already gone" (safe to ignore in an
// idempotent teardown), and wrapping of everything else with the context of the failed call.

const NOT_FOUND_ERROR_NAMES = new Set([
  'ResourceNotFound', // SageMaker (DeletePipeline, DeleteModelPackage, ...)
  'ResourceNotFoundException', // EventBridge Scheduler, CodePipeline
  'NoSuchBucket', // S3
  'NoSuchKey', // S3
  'NotFound', // S3 HEAD requests
]);

/** SageMaker reports some missing resources (models, endpoint configs) as a ValidationException. */
const SAGEMAKER_NOT_FOUND_MESSAGE = /could not find|does not exist|not found/i;

function errorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const name = (error as { name: unknown }).name;
    return typeof name === 'string' ? name : undefined;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** True when the error says the addressed resource does not exist (any of the services used here). */
export function isNotFoundError(error: unknown): boolean {
  const name = errorName(error);
  if (name === undefined) return false;
  if (NOT_FOUND_ERROR_NAMES.has(name)) return true;
  return name === 'ValidationException' && SAGEMAKER_NOT_FOUND_MESSAGE.test(errorMessage(error));
}

/** An AWS call that failed, with what was being done; the SDK error is kept as `cause`. */
export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    readonly target: string,
    cause: unknown,
  ) {
    super(`${operation} ${target} failed: ${errorName(cause) ?? 'Error'}: ${errorMessage(cause)}`, { cause });
    this.name = 'AwsCallError';
  }
}

/** Runs an AWS call; errors are rethrown as {@link AwsCallError} naming the operation and target. */
export async function withContext<T>(operation: string, target: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwsCallError) throw error;
    throw new AwsCallError(operation, target, error);
  }
}

/**
 * Runs an AWS delete call and reports whether it deleted something: not-found errors mean "already
 * gone" (returns false); every other error is rethrown as {@link AwsCallError}.
 */
export async function deleteIgnoringNotFound(
  operation: string,
  target: string,
  call: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isNotFoundError(error)) return false;
    throw new AwsCallError(operation, target, error);
  }
}

/**
 * Helpers for the engine's tests (not used by the engine itself): unwrap a typed call's result, failing the
 * test with the Kinesis error (or the unexpected success) when it is not what the test expects.
 */
import type { ApiResult } from './engine';

/** The output of a call that must succeed; throws with the Kinesis error type and message otherwise. */
export function ok(result: ApiResult): Record<string, unknown> {
  if (!result.ok) throw new Error(`${result.error.type}: ${result.error.message}`);
  return result.value;
}

/** The error of a call that must fail, as {type, message}; throws with the output otherwise. */
export function fail(result: ApiResult): { type: string; message: string } {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return { type: result.error.type, message: result.error.message };
}

import type { CommandResult } from '../worker/protocol';

/** The engine's answer to a form: the output, or the Kinesis error type and message exactly as returned. */
export function ResultMessage({
  result,
  success,
}: {
  result: CommandResult | undefined;
  success: (output: Record<string, unknown>) => string;
}) {
  if (!result) return null;
  if (result.ok) {
    return (
      <p className="result ok" role="status">
        <span aria-hidden="true">✓ </span>
        {success(result.output)}
      </p>
    );
  }
  return (
    <p className="result error" role="alert">
      <span aria-hidden="true">✗ </span>
      <strong>{result.errorType}</strong>: {result.message}
    </p>
  );
}

/** A form's own refusal (checked on the page before anything is sent), as an alert; nothing when undefined. */
export function FormError({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="result error" role="alert">
      <span aria-hidden="true">✗ </span>
      {message}
    </p>
  );
}

import { useSim } from '../state/SimStoreProvider';
import { selectRecentErrors } from '../state/selectors';
import { formatCount, formatVirtualTime } from './format';

/**
 * The latest distinct errors, each with the operation that met it and its exact message as the engine
 * returned it: a shard's write throttles and its read throttles have the same Kinesis text, so the operation
 * keeps them apart.
 */
export function ErrorLog() {
  const errors = useSim(selectRecentErrors);
  if (!errors || errors.length === 0) return <p className="muted">No errors yet.</p>;
  return (
    <ul className="error-log" aria-label="Latest errors">
      {errors.map((e) => (
        <li key={`${e.operation}|${e.errorType}|${e.message}`}>
          <span className="error-operation">{e.operation}</span>
          {' — '}
          {/* Kinesis sends some errors (InternalFailure) with no message: the type alone, said so. */}
          <strong>{e.errorType}</strong>
          {e.message === '' ? <span className="muted"> (no message)</span> : `: ${e.message}`}{' '}
          <span className="muted">
            ×{formatCount(e.count)}, last at {formatVirtualTime(e.lastMs)}
          </span>
        </li>
      ))}
    </ul>
  );
}

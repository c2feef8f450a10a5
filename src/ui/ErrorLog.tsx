import { useSim } from '../state/SimStoreProvider';
import { selectRecentErrors } from '../state/selectors';
import { formatCount, formatVirtualTime } from './format';

/** The latest distinct errors, with their exact messages as the engine returned them. */
export function ErrorLog() {
  const errors = useSim(selectRecentErrors);
  if (!errors || errors.length === 0) return <p className="muted">No errors yet.</p>;
  return (
    <ul className="error-log" aria-label="Latest errors">
      {errors.map((e) => (
        <li key={`${e.errorType}|${e.message}`}>
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

import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimStoreProvider';
import type { SimState } from '../../state/store';
import { formatCount } from '../format';

// Re-render only when a verdict or its rounded numbers change, not on every snapshot.
const selectDiagnosis = (s: SimState) =>
  (s.snapshot?.diagnosis ?? []).map((d) =>
    JSON.stringify([
      d.shardId,
      d.verdict,
      Math.round(d.demandPerSecond),
      Math.round(d.throttledPerSecond),
      d.topKey?.partitionKey,
      Math.round(d.topKey?.recordsPerSecond ?? 0),
      d.suggestedNewStartingHashKey,
      d.explanation,
    ]),
  );

/** For each throttled shard: hot key or hot shard, with the numbers behind the verdict and what would help. */
const selectStreamName = (s: SimState) => s.snapshot?.stream?.streamName ?? '';

export function DiagnosisPanel() {
  const rows = useSim(useShallow(selectDiagnosis));
  const streamName = useSim(selectStreamName);
  return (
    <section className="panel" aria-labelledby="diagnosis-heading">
      <h2 id="diagnosis-heading">Diagnosis</h2>
      {rows.length === 0 ? (
        <p className="muted">No shard is throttling in the last 2 virtual seconds.</p>
      ) : (
        <ul className="diagnosis" aria-label="Throttled shards diagnosed">
          {rows.map((row) => {
            const [shardId, verdict, demand, throttled, topKey, topRate, split, explanation] = JSON.parse(
              row,
            ) as [string, string, number, number, string | undefined, number, string | undefined, string];
            return (
              <li key={shardId}>
                <p>
                  <strong>{shardId}</strong>:{' '}
                  <span className={`verdict ${verdict}`}>
                    {verdict === 'hot-key' ? 'Hot key' : 'Hot shard'}
                  </span>{' '}
                  — {formatCount(demand)} records/s asked, {formatCount(throttled)}/s throttled
                  {topKey ? `; busiest key "${topKey}" at ${formatCount(topRate)} records/s` : ''}.
                </p>
                <p>{explanation}</p>
                {split ? (
                  <p>
                    <code>
                      aws kinesis split-shard --stream-name {streamName} --shard-to-split {shardId}{' '}
                      --new-starting-hash-key {split}
                    </code>
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

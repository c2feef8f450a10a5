import { useState } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectLimits } from '../state/selectors';
import type { SimState } from '../state/store';
import type { ProducerTotals } from '../worker/engineTypes';
import { AttemptLanesChart } from './charts/AttemptLanesChart';
import { RetryDelayChart } from './charts/RetryDelayChart';
import { formatCount } from './format';
import { ScrollRegion } from './ScrollRegion';

// The view's producers: refreshed with the shard table's figures (see SimState.viewProducers).
const selectProducers = (s: SimState) => s.viewProducers ?? s.snapshot?.producers;

/** Attempts per delivered record, as the engine gave it ("—" before a record is delivered). */
export function amplificationText(p: ProducerTotals): string {
  const a = p.retries.amplification;
  return a === null ? '—' : `${a.toFixed(2)}×`;
}

/**
 * What each producer's retries did: records delivered at once or after a retry, dropped or still waiting,
 * attempts per delivered record, who retried (the SDK, or the producer's own code for failed PutRecords
 * entries), and the end-to-end delay and attempts-per-lane charts. Every figure is the engine's.
 */
export function RetryStats() {
  const producers = useSim(selectProducers);
  const limits = useSim(selectLimits)?.retry;
  const [chartsOpen, setChartsOpen] = useState(false);
  if (!producers || producers.length === 0 || !limits) return null;
  return (
    <section className="retry-stats" aria-labelledby="retry-stats-heading">
      <h3 id="retry-stats-heading">Retries</h3>
      <ScrollRegion label="Retries table">
        <table aria-label="Retries per producer">
          <caption>
            Every record a producer made is delivered (at its first attempt or after retries), dropped (its
            last attempt failed, its error is not retried, or the SDK’s retry quota was empty) or still
            waiting for a retry; PutRecords producers also hold up to one batch. Amplification: attempts per
            delivered record.
          </caption>
          <thead>
            <tr>
              <th scope="col">Producer</th>
              <th scope="col">Records made</th>
              <th scope="col">Delivered at first attempt</th>
              <th scope="col">Retried</th>
              <th scope="col">Delivered after retry</th>
              <th scope="col">Dropped after last attempt</th>
              <th scope="col">Waiting for retry</th>
              <th scope="col">Attempts</th>
              <th scope="col">Amplification</th>
              <th scope="col">Retries by the SDK</th>
              <th scope="col">Retries by your code</th>
              <th scope="col">Refused by retry quota</th>
            </tr>
          </thead>
          <tbody>
            {producers.map((p) => {
              const r = p.retries;
              return (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{formatCount(r.generated)}</td>
                  <td>{formatCount(r.deliveredFirst)}</td>
                  <td>{formatCount(r.retried)}</td>
                  <td>{formatCount(r.deliveredAfterRetry)}</td>
                  <td>{formatCount(r.dropped)}</td>
                  <td>{formatCount(r.waiting)}</td>
                  <td>{formatCount(p.attempted)}</td>
                  <td data-testid={`amplification-${p.name}`}>{amplificationText(p)}</td>
                  <td>{formatCount(r.retriedBySdk)}</td>
                  <td>{formatCount(r.retriedByCaller)}</td>
                  <td>{formatCount(r.quotaRefused)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="muted">
        AWS SDK default: the AWS SDK for JavaScript v3’s standard mode — {limits.sdkMaxAttempts} attempts in
        all, delay before retry n = random × base × 2ⁿ capped at {formatCount(limits.sdkMaxDelayMs / 1000)} s
        (full jitter), base {formatCount(limits.sdkThrottlingBaseMs)} ms after throttling and{' '}
        {formatCount(limits.sdkTransientBaseMs)} ms after InternalFailure, a retry quota of{' '}
        {formatCount(limits.sdkInitialTokens)} tokens ({limits.sdkRetryCost} a throttling retry,{' '}
        {limits.sdkTimeoutRetryCost} a transient one).
      </p>
      <details onToggle={(e) => setChartsOpen(e.currentTarget.open)}>
        <summary>Retry charts: end-to-end delay and attempts per {formatCount(limits.laneMs)} ms</summary>
        {/* Drawn only while open: two more charts at ten snapshots a second cost the page when unread. */}
        {chartsOpen ? (
          <>
            <RetryDelayChart producers={producers} boundsMs={limits.delayBucketBoundsMs} />
            <AttemptLanesChart producers={producers} laneMs={limits.laneMs} />
          </>
        ) : null}
      </details>
    </section>
  );
}

import { useSim } from '../../state/SimStoreProvider';
import { selectLimits, selectViewStream } from '../../state/selectors';
import { formatByteLimit, formatBytes, formatCount, formatVirtualSecond } from '../format';

/** Shards the stage lists; the busiest come first when there are more (the rest are counted, not hidden). */
const STAGE_SHARD_ROWS = 6;

/**
 * The stage's shards: the load of each shard open in the last completed virtual second against the write
 * limits (records/s and bytes/s, read from the engine), as bars with their numbers, and the word "throttling"
 * when that second refused records — so colour is never the only signal. A shard closed since (a split's or
 * merge's parent, in the second it closed) is listed while that second shows its load: leaving it out hid
 * the very load the reshard answered. Every figure is the snapshot's.
 */
export function StageShards() {
  const stream = useSim(selectViewStream);
  const limits = useSim(selectLimits);
  if (!stream || !limits) return null;
  const t = stream.seconds - 1;
  const rows = stream.shards
    .map((shard) => {
      const i = shard.position * stream.seconds + t;
      const records = t >= 0 ? (stream.series.incomingRecords[i] ?? 0) : 0;
      const bytes = t >= 0 ? (stream.series.incomingBytes[i] ?? 0) : 0;
      const throttled = t >= 0 ? (stream.series.throttledRecords[i] ?? 0) : 0;
      return { shardId: shard.shardId, isOpen: shard.isOpen, records, bytes, throttled };
    })
    // A closed shard takes nothing after it closes: load in that second means it was open then.
    .filter((row) => row.isOpen || row.records + row.throttled > 0);
  const shown =
    rows.length > STAGE_SHARD_ROWS
      ? [...rows]
          .sort((a, b) => b.records + b.throttled - (a.records + a.throttled))
          .slice(0, STAGE_SHARD_ROWS)
      : rows;
  const second = t >= 0 ? formatVirtualSecond(stream.firstSecond + t) : null;
  return (
    <section className="stage-shards" aria-labelledby="stage-shards-heading">
      <h2 id="stage-shards-heading">Shard load</h2>
      <table>
        <caption>
          {second ? `Last completed second, ${second}` : 'No second completed yet'}: records accepted against{' '}
          {formatCount(limits.recordsPerSecond)} records/s and bytes against{' '}
          {formatByteLimit(limits.bytesPerSecond)}/s per shard
          {rows.length > shown.length ? `; the ${shown.length} busiest of ${rows.length} shards` : ''}
          {rows.some((row) => !row.isOpen) ? '; a CLOSED shard took this load before it closed' : ''}.
        </caption>
        <thead>
          <tr>
            <th scope="col">ShardId</th>
            <th scope="col">Records/s</th>
            <th scope="col">Bytes/s</th>
            <th scope="col">Throttled</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => {
            const recordShare = Math.min(1, row.records / limits.recordsPerSecond);
            const byteShare = Math.min(1, row.bytes / limits.bytesPerSecond);
            return (
              <tr key={row.shardId} className={row.throttled > 0 ? 'throttling' : undefined}>
                <th scope="row">
                  {row.shardId}
                  {row.isOpen ? '' : ' (CLOSED)'}
                </th>
                <td>
                  <span className="load-bar" aria-hidden="true">
                    <span className="load-fill" style={{ width: `${recordShare * 100}%` }} />
                  </span>
                  <span className="load-figure">{formatCount(row.records)}</span>
                </td>
                <td>
                  <span className="load-bar" aria-hidden="true">
                    <span className="load-fill" style={{ width: `${byteShare * 100}%` }} />
                  </span>
                  <span className="load-figure">{formatBytes(row.bytes)}</span>
                </td>
                <td className="load-throttled">
                  {row.throttled > 0 ? (
                    <>
                      <span aria-hidden="true">⚠ </span>
                      {formatCount(row.throttled)}
                      <span className="visually-hidden"> throttled: over the limit</span>
                    </>
                  ) : (
                    '0'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

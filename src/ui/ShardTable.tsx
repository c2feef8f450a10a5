import { useMemo } from 'react';
import { AGGREGATE_SHARD_COUNTS, AggregateNote } from './AggregateNote';
import { formatBytes, formatCount } from './format';
import { ScrollRegion } from './ScrollRegion';
import { useViewStream } from './useViewStream';

/**
 * Every shard with its hash key range and its record counts: the numbers behind the charts. "Throttling
 * now" comes from the engine's diagnosis window (the same one the Diagnosis panel explains); the throttled
 * total since creation has its own column, so an old burst no longer marks a shard that is fine now.
 */
export function ShardTable() {
  const stream = useViewStream();
  const throttlingNow = useMemo(
    () => new Set((stream?.diagnosis ?? []).map((d) => d.shardId)),
    [stream?.diagnosis],
  );
  if (!stream) return <p>No stream yet.</p>;
  return (
    <>
      <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
      <ScrollRegion label="Shard table">
        <table className="shard-table">
          <caption>
            Shards of {stream.streamName}. "Throttling now" = throttled in the last {stream.windowSeconds}{' '}
            virtual seconds (see Diagnosis); the counts are totals since the stream was created. Throttled =
            records refused with ProvisionedThroughputExceededException. Each shard holds the hash keys from
            StartingHashKey to EndingHashKey.
          </caption>
          <thead>
            <tr>
              <th scope="col">ShardId</th>
              <th scope="col">Accepted</th>
              <th scope="col">Throttled (total)</th>
              <th scope="col">Retained</th>
              <th scope="col">Retained bytes</th>
              <th scope="col">Expired</th>
              <th scope="col">StartingHashKey</th>
              <th scope="col">EndingHashKey</th>
            </tr>
          </thead>
          <tbody>
            {stream.shards.map((shard) => {
              const i = shard.position;
              const now = throttlingNow.has(shard.shardId);
              return (
                <tr key={shard.shardId} className={now ? 'is-throttled' : undefined}>
                  <th scope="row">
                    {shard.shardId}
                    {now ? <span className="badge">Throttling now</span> : null}
                    {shard.isOpen ? null : <span className="badge closed">closed</span>}
                  </th>
                  <td>{formatCount(stream.accepted[i] ?? 0)}</td>
                  <td>{formatCount(stream.throttled[i] ?? 0)}</td>
                  <td>{formatCount(stream.retainedRecords[i] ?? 0)}</td>
                  <td>{formatBytes(stream.retainedBytes[i] ?? 0)}</td>
                  <td>{formatCount(stream.expired[i] ?? 0)}</td>
                  <td className="hash">{shard.startingHashKey}</td>
                  <td className="hash">{shard.endingHashKey}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

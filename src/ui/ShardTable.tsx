import { formatBytes, formatCount } from './format';
import { ScrollRegion } from './ScrollRegion';
import { useViewStream } from './useViewStream';

/** Every shard with its hash key range and its record counts: the numbers behind the charts. */
export function ShardTable() {
  const stream = useViewStream();
  if (!stream) return <p>No stream yet.</p>;
  return (
    <ScrollRegion label="Shard table">
      <table className="shard-table">
        <caption>
          Shards of {stream.streamName}: totals since the stream was created. Throttled = records refused with
          ProvisionedThroughputExceededException. Each shard holds the hash keys from StartingHashKey to
          EndingHashKey.
        </caption>
        <thead>
          <tr>
            <th scope="col">ShardId</th>
            <th scope="col">Accepted</th>
            <th scope="col">Throttled</th>
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
            const throttled = stream.throttled[i] ?? 0;
            return (
              <tr key={shard.shardId} className={throttled > 0 ? 'is-throttled' : undefined}>
                <th scope="row">
                  {shard.shardId}
                  {throttled > 0 ? <span className="badge">throttled</span> : null}
                </th>
                <td>{formatCount(stream.accepted[i] ?? 0)}</td>
                <td>{formatCount(throttled)}</td>
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
  );
}

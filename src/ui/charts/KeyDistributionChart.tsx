import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCount } from '../format';
import { ScrollRegion } from '../ScrollRegion';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { shortShardId } from './chartData';

interface Row {
  shard: string;
  shardId: string;
  accepted: number;
  throttled: number;
  /** Share of all attempted records, to compare with the keyspace share. */
  trafficPct: number;
  keyspacePct: number;
}

/** Records per shard (accepted and throttled stacked), each shard's keyspace share, and the hottest keys. */
export const KeyDistributionChart = memo(function KeyDistributionChart() {
  const stream = useViewStream();
  const rows = useMemo<Row[]>(() => {
    if (!stream) return [];
    let total = 0;
    for (let i = 0; i < stream.shards.length; i++)
      total += (stream.accepted[i] ?? 0) + (stream.throttled[i] ?? 0);
    return stream.shards.map((s) => {
      const accepted = stream.accepted[s.position] ?? 0;
      const throttled = stream.throttled[s.position] ?? 0;
      return {
        shard: shortShardId(s.shardId),
        shardId: s.shardId,
        accepted,
        throttled,
        trafficPct: total > 0 ? ((accepted + throttled) / total) * 100 : 0,
        keyspacePct: (s.endFraction - s.startFraction) * 100,
      };
    });
  }, [stream]);
  // Past 4,096 distinct keys counts are estimates; a key whose error bound is half its count is noise.
  const hotKeys = (stream?.hotKeys ?? []).filter((k) => k.error * 2 < k.count);
  return (
    <>
      <ChartFrame
        title="Key distribution"
        csv={() => ({
          headers: [
            'ShardId',
            'StartingHashKey',
            'EndingHashKey',
            'Accepted',
            'Throttled',
            'Share of traffic %',
            'Share of keyspace %',
          ],
          rows: rows.map((r, i) => [
            r.shardId,
            stream?.shards[i]?.startingHashKey ?? '',
            stream?.shards[i]?.endingHashKey ?? '',
            r.accepted,
            r.throttled,
            r.trafficPct.toFixed(3),
            r.keyspacePct.toFixed(6),
          ]),
        })}
        description={
          <>
            Records per shard since the stream was created: accepted, and throttled with
            ProvisionedThroughputExceededException. A shard's fair share is its share of the keyspace.
          </>
        }
        chart={
          <BarChart
            width={720}
            height={260}
            data={rows}
            margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
            role="img"
            aria-label="Bar chart of records per shard, accepted and throttled"
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="shard" />
            <YAxis />
            <Tooltip />
            <Legend />
            <Bar
              dataKey="accepted"
              name="Accepted"
              stackId="records"
              fill="#2563eb"
              isAnimationActive={false}
            />
            <Bar
              dataKey="throttled"
              name="Throttled"
              stackId="records"
              fill="#dc2626"
              stroke="#7f1d1d"
              strokeDasharray="4 2"
              isAnimationActive={false}
            />
          </BarChart>
        }
        table={
          <table aria-label="Key distribution data">
            <thead>
              <tr>
                <th scope="col">ShardId</th>
                <th scope="col">Accepted</th>
                <th scope="col">Throttled</th>
                <th scope="col">Share of traffic</th>
                <th scope="col">Share of keyspace</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.shardId}>
                  <th scope="row">{r.shardId}</th>
                  <td>{formatCount(r.accepted)}</td>
                  <td>{formatCount(r.throttled)}</td>
                  <td>{r.trafficPct.toFixed(1)}%</td>
                  <td>{r.keyspacePct.toFixed(2)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <ScrollRegion label="Hottest partition keys table">
        <table aria-label="Hottest partition keys">
          <caption>
            Hottest PartitionKeys (attempts since the stream was created) and the ShardId each one routes to
          </caption>
          <thead>
            <tr>
              <th scope="col">PartitionKey</th>
              <th scope="col">ShardId</th>
              <th scope="col">Attempts</th>
              <th scope="col">Throttled</th>
            </tr>
          </thead>
          <tbody>
            {hotKeys.length === 0 ? (
              <tr>
                <td colSpan={4} className="muted">
                  No records yet.
                </td>
              </tr>
            ) : (
              hotKeys.slice(0, 10).map((k) => (
                <tr key={k.partitionKey}>
                  <th scope="row" className="key">
                    {k.partitionKey}
                  </th>
                  <td>{k.shardId}</td>
                  <td>
                    {k.error > 0 ? '≤ ' : ''}
                    {formatCount(k.count)}
                  </td>
                  <td>{formatCount(k.throttled)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
});

import { memo, useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { useSim } from '../state/SimStoreProvider';
import { selectStream } from '../state/selectors';
import { formatCount } from './format';

interface Row {
  shardId: string;
  accepted: number;
  throttled: number;
  keyspacePct: number;
}

/** Records per shard, accepted and throttled stacked, with each shard's share of the keyspace. */
export const KeyDistributionChart = memo(function KeyDistributionChart() {
  const stream = useSim(selectStream);
  const [showTable, setShowTable] = useState(false);
  const rows = useMemo<Row[]>(
    () =>
      stream?.shards.map((s) => ({
        shardId: s.shardId.replace('shardId-', '…').replace(/…0+(?=\d)/, '#'),
        accepted: stream.accepted[s.position] ?? 0,
        throttled: stream.throttled[s.position] ?? 0,
        keyspacePct: (s.endFraction - s.startFraction) * 100,
      })) ?? [],
    [stream],
  );
  return (
    <figure className="chart" aria-labelledby="distribution-title">
      <figcaption id="distribution-title">
        <strong>Key distribution</strong>: records per shard (accepted, and throttled with
        ProvisionedThroughputExceededException).
        <button
          type="button"
          className="link"
          aria-pressed={showTable}
          onClick={() => setShowTable(!showTable)}
        >
          {showTable ? 'Show chart' : 'Show data table'}
        </button>
      </figcaption>
      {showTable ? (
        <table aria-label="Key distribution data">
          <thead>
            <tr>
              <th scope="col">Shard</th>
              <th scope="col">Accepted</th>
              <th scope="col">Throttled</th>
              <th scope="col">Keyspace share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.shardId}>
                <th scope="row">{r.shardId}</th>
                <td>{formatCount(r.accepted)}</td>
                <td>{formatCount(r.throttled)}</td>
                <td>{r.keyspacePct.toFixed(2)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <BarChart
          width={640}
          height={260}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
          role="img"
          aria-label="Bar chart of records per shard"
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="shardId" />
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
            isAnimationActive={false}
          />
        </BarChart>
      )}
    </figure>
  );
});

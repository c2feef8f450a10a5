import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ReferenceLine, XAxis, YAxis } from 'recharts';
import { useSim } from '../state/SimStoreProvider';
import { selectLimits } from '../state/selectors';
import type { SimState } from '../state/store';
import { ChartFrame } from './charts/ChartFrame';
import { useChartFontPx } from './charts/chartFont';
import { LIMIT_COLOUR } from './charts/palette';
import { formatCount, formatVirtualSecond } from './format';

// The view's producers: refreshed with the shard table's figures (see SimState.viewProducers).
const selectProducers = (s: SimState) => s.viewProducers ?? s.snapshot?.producers;

const USER_COLOUR = '#1d4ed8';
const KINESIS_COLOUR = '#047857';

/** User records per Kinesis record, to one decimal place. */
const ratio = (n: number) => (n > 0 ? n.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '–');

/**
 * KPL producers' user records/s against the Kinesis records/s that carried them (the last completed virtual
 * second, as the worker counted it), beside one shard's records/s limit, with the Kinesis records' outcomes
 * in its data table: the shard limits see only Kinesis records.
 */
export const KplRates = memo(function KplRates() {
  const producers = useSim(selectProducers);
  const limits = useSim(selectLimits);
  const fontPx = useChartFontPx();
  const kpl = (producers ?? []).filter((p) => p.kpl !== undefined);
  if (kpl.length === 0 || !limits) return null;
  const second = kpl[0]?.kpl?.lastSecond ?? -1;
  const rows = kpl.map((p) => ({
    name: p.name,
    user: Math.round(p.kpl?.userRecordsLastSecond ?? 0),
    kinesis: Math.round(p.kpl?.kinesisRecordsLastSecond ?? 0),
    k: p.kpl,
  }));
  const title = 'KPL aggregation';
  return (
    <ChartFrame
      title={title}
      description={
        <>
          User records/s vs Kinesis records/s per KPL producer
          {second >= 0 ? `, virtual second ${formatVirtualSecond(second)}` : ''}: the shard limits (
          {formatCount(limits.recordsPerSecond)} records/s per shard, dashed) count Kinesis records only.
        </>
      }
      csv={() => ({
        headers: [
          'Producer',
          'User records/s',
          'Kinesis records/s',
          'User records per Kinesis record',
          'Kinesis records sent',
          'Kinesis accepted',
          'Kinesis throttled',
          'Kinesis rejected',
        ],
        rows: rows.map((r) => [
          r.name,
          r.user,
          r.kinesis,
          r.k?.aggregationRatio ?? 0,
          r.k?.kinesisRecords ?? 0,
          r.k?.kinesisAccepted ?? 0,
          r.k?.kinesisThrottled ?? 0,
          r.k?.kinesisRejected ?? 0,
        ]),
      })}
      chart={
        <BarChart
          accessibilityLayer={false}
          layout="vertical"
          width={400}
          height={74 + rows.length * 56}
          data={rows}
          margin={{ top: 22, right: 56, bottom: 8, left: 8 }}
          role="img"
          aria-label="Bar chart of user records/s and Kinesis records/s per KPL producer"
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            tickFormatter={(v) => formatCount(Number(v))}
            domain={[0, (most: number) => Math.max(most, limits.recordsPerSecond)]}
            style={{ fontSize: fontPx }}
          />
          <YAxis type="category" dataKey="name" width={90} style={{ fontSize: fontPx }} />
          <Legend />
          <ReferenceLine
            x={limits.recordsPerSecond}
            stroke={LIMIT_COLOUR}
            strokeDasharray="6 3"
            label={{ value: 'one shard', position: 'top', fontSize: fontPx }}
          />
          <Bar dataKey="user" name="User records/s" fill={USER_COLOUR} isAnimationActive={false}>
            <LabelList dataKey="user" position="right" formatter={(v) => formatCount(Number(v))} />
          </Bar>
          <Bar dataKey="kinesis" name="Kinesis records/s" fill={KINESIS_COLOUR} isAnimationActive={false}>
            <LabelList dataKey="kinesis" position="right" formatter={(v) => formatCount(Number(v))} />
          </Bar>
        </BarChart>
      }
      table={
        <table aria-label="KPL aggregation: user records/s vs Kinesis records/s">
          <thead>
            <tr>
              <th scope="col">Producer</th>
              <th scope="col">User records/s</th>
              <th scope="col">Kinesis records/s</th>
              <th scope="col">User records per Kinesis record</th>
              <th scope="col">Kinesis records sent</th>
              <th scope="col">Kinesis accepted</th>
              <th scope="col">Kinesis throttled</th>
              <th scope="col">Kinesis rejected</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.name}</th>
                <td>{formatCount(r.user)}</td>
                <td>{formatCount(r.kinesis)}</td>
                <td>{ratio(r.k?.aggregationRatio ?? 0)}</td>
                <td>{formatCount(r.k?.kinesisRecords ?? 0)}</td>
                <td>{formatCount(r.k?.kinesisAccepted ?? 0)}</td>
                <td>{formatCount(r.k?.kinesisThrottled ?? 0)}</td>
                <td>{formatCount(r.k?.kinesisRejected ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
});

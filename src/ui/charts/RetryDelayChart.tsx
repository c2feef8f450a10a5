import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis } from 'recharts';
import type { ProducerTotals } from '../../worker/engineTypes';
import { formatCount } from '../format';
import { ChartFrame } from './ChartFrame';
import { useChartFontPx } from './chartFont';
import { useChartHeight } from './chartHeight';
import { SHARD_COLOURS } from './palette';
import { valueAxis } from './ShardLinesChart';

/** Producers drawn at most (the table and CSV have all). */
const MAX_PRODUCERS = 8;

/** A delay bucket's label: bucket 0 is "0" (delivered at the first attempt), then "(a, b] ms", then "> last". */
export function delayBucketLabels(bounds: readonly number[]): string[] {
  const ms = (v: number) => (v >= 1000 ? `${v / 1000} s` : `${v} ms`);
  return [
    '0 (first attempt)',
    ...bounds.slice(1).map((b, i) => `${ms(bounds[i] as number)}–${ms(b)}`),
    `> ${ms(bounds[bounds.length - 1] as number)}`,
  ];
}

/**
 * End-to-end delay of delivered records (arrival − first attempt), per producer, as the engine counted them
 * in fixed buckets. The chart draws the records delivered after a retry (delay > 0); the table and CSV have
 * every bucket, the first attempts included.
 */
export const RetryDelayChart = memo(function RetryDelayChart({
  producers,
  boundsMs,
}: {
  producers: ProducerTotals[];
  boundsMs: readonly number[];
}) {
  const plotHeight = useChartHeight(220);
  const fontPx = useChartFontPx();
  const labels = useMemo(() => delayBucketLabels(boundsMs), [boundsMs]);
  const drawn = producers.slice(0, MAX_PRODUCERS);
  // The engine counts the delays it measured in aggregate (whole-second steps of a jump), since the start.
  const aggregated = producers.filter((p) => p.retries.delaysAggregated > 0);
  const rows = labels.slice(1).map((label, i) => {
    const row: Record<string, string | number> = { bucket: label };
    for (const p of drawn) row[`p${p.id}`] = p.retries.delayCounts[i + 1] ?? 0;
    return row;
  });
  const max = rows.reduce((most, r) => Math.max(most, ...drawn.map((p) => Number(r[`p${p.id}`] ?? 0))), 0);
  return (
    <ChartFrame
      title="End-to-end delay of delivered records"
      description={
        <>
          Records delivered after one or more retries, by how long after their first attempt they arrived
          (virtual time). Records delivered at the first attempt (delay 0) are in the data table.
          {producers.length > drawn.length
            ? ` The chart draws the first ${MAX_PRODUCERS} producers; the table and CSV have all.`
            : ''}
          {aggregated.length > 0 ? (
            <strong data-testid="delay-aggregate">
              {' '}
              Simulated in aggregate during a jump:{' '}
              {aggregated
                .map((p) => `${p.name} (${formatCount(p.retries.delaysAggregated)} of its delays)`)
                .join(', ')}{' '}
              — those retries waited at least until the next virtual second, so those delays are rounded up to
              the second, whatever the policy’s backoff.
            </strong>
          ) : null}
        </>
      }
      csv={() => ({
        headers: ['Producer', ...labels],
        rows: producers.map((p) => [p.name, ...labels.map((_, i) => p.retries.delayCounts[i] ?? 0)]),
      })}
      chart={
        <BarChart
          accessibilityLayer={false}
          width={720}
          height={plotHeight}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
          role="img"
          aria-label="Bar chart of records delivered after a retry, per end-to-end delay bucket and producer"
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="bucket" height={40} />
          {valueAxis({ max, format: (v) => formatCount(v), fontPx })}
          <Tooltip formatter={(v) => formatCount(Number(v))} />
          <Legend />
          {drawn.map((p, i) => (
            <Bar
              key={p.id}
              dataKey={`p${p.id}`}
              name={p.name}
              fill={SHARD_COLOURS[i % SHARD_COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      }
      table={
        <table aria-label="End-to-end delay data">
          <thead>
            <tr>
              <th scope="col">Delay</th>
              {producers.map((p) => (
                <th scope="col" key={p.id}>
                  {p.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {producers.map((p) => (
                  <td key={p.id}>{formatCount(p.retries.delayCounts[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
});

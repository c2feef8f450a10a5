import { memo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis } from 'recharts';
import type { ProducerTotals } from '../../worker/engineTypes';
import { formatCount } from '../format';
import { ChartFrame } from './ChartFrame';
import { useChartFontPx } from './chartFont';
import { useChartHeight } from './chartHeight';
import { SHARD_COLOURS } from './palette';
import { valueAxis } from './ShardLinesChart';

const MAX_PRODUCERS = 8;

/** Peak lane ÷ mean of the lanes since the first attempt in the window: 1 for a flat series. */
export function peakToMean(lanes: readonly number[]): number | null {
  const first = lanes.findIndex((v) => v > 0);
  if (first < 0) return null;
  const seen = lanes.slice(first);
  const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
  return mean > 0 ? Math.max(...seen) / mean : null;
}

/**
 * What the caption says of the busiest lane: the peak-to-mean ratio of the producers simulated record by
 * record, and which producers' lanes came from aggregate simulation (attempts on whole seconds, so their
 * spikes say nothing of retry storms). `ratio` is peakToMean of the record-by-record producers' lanes.
 */
export function aggregatedLanesText(
  aggregated: readonly Pick<ProducerTotals, 'name'>[],
  byRecord: number,
  ratio: number | null,
): string {
  const names = aggregated.map((p) => p.name).join(', ');
  const note =
    aggregated.length === 0
      ? ''
      : ` Simulated in aggregate during a jump (or past record-by-record speed): ${names} — attempts land on whole seconds, one lane a second, so their spikes are not a retry storm.`;
  if (byRecord === 0 && aggregated.length > 0)
    return `Busiest lane: not measured, no producer was simulated record by record.${note}`;
  const peak =
    ratio === null
      ? 'No attempts in this window.'
      : `Busiest lane: ${ratio.toFixed(1)}× the mean lane since the first attempt in the window${aggregated.length > 0 ? ', among producers simulated record by record' : ''}.`;
  return peak + note;
}

/**
 * Attempts (first attempts and retries) per lane of virtual time over the last few seconds, stacked per
 * producer: retries without jitter come back in step, as spikes a lane wide (a retry storm); with jitter
 * they spread over the backoff window.
 */
export const AttemptLanesChart = memo(function AttemptLanesChart({
  producers,
  laneMs,
}: {
  producers: ProducerTotals[];
  laneMs: number;
}) {
  const plotHeight = useChartHeight(200);
  const fontPx = useChartFontPx();
  const drawn = producers.slice(0, MAX_PRODUCERS);
  const lanes = producers[0]?.retries.lanes.length ?? 0;
  const label = (i: number) => `${(((i - lanes + 1) * laneMs) / 1000).toFixed(1)} s`;
  const rows = Array.from({ length: lanes }, (_, i) => {
    const row: Record<string, string | number> = { lane: label(i) };
    let sum = 0;
    for (const p of drawn) {
      const v = p.retries.lanes[i] ?? 0;
      row[`p${p.id}`] = v;
      sum += v;
    }
    row.sum = sum;
    return row;
  });
  const max = rows.reduce((most, r) => Math.max(most, Number(r.sum)), 0);
  // A storm is claimed from record-by-record lanes only: in aggregate simulation (a jump, or a producer past
  // what record-by-record simulation keeps up with) a second's attempts land in one lane whatever the policy.
  const inAggregate = (p: ProducerTotals) => p.aggregated || p.retries.lanesAggregated;
  const aggregated = producers.filter(inAggregate);
  const byRecord = producers.filter((p) => !inAggregate(p));
  const total = Array.from({ length: lanes }, (_, i) =>
    byRecord.reduce((sum, p) => sum + (p.retries.lanes[i] ?? 0), 0),
  );
  const ratio = peakToMean(total);
  return (
    <ChartFrame
      title={`Attempts per ${formatCount(laneMs)} ms`}
      description={
        <>
          PutRecord(s) records sent (first attempts and retries) per {formatCount(laneMs)} ms of virtual time
          over the last {formatCount((lanes * laneMs) / 1000)} s, ending now, stacked per producer. Producers
          that retry without jitter send their retries in step: a spike one lane wide, a retry storm.{' '}
          <span data-testid="lane-peak">{aggregatedLanesText(aggregated, byRecord.length, ratio)}</span>
        </>
      }
      csv={() => ({
        headers: ['Lane end (s before now)', ...producers.map((p) => p.name)],
        rows: Array.from({ length: lanes }, (_, i) => [
          label(i),
          ...producers.map((p) => p.retries.lanes[i] ?? 0),
        ]),
      })}
      chart={
        <BarChart
          accessibilityLayer={false}
          width={720}
          height={plotHeight}
          data={rows}
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
          barCategoryGap={0}
          role="img"
          aria-label={`Stacked bar chart of attempts per ${laneMs} ms lane over the last ${(lanes * laneMs) / 1000} s, per producer`}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="lane" height={40} interval={9} />
          {valueAxis({ max, format: (v) => formatCount(v), fontPx })}
          <Tooltip formatter={(v) => formatCount(Number(v))} />
          <Legend />
          {drawn.map((p, i) => (
            <Bar
              key={p.id}
              dataKey={`p${p.id}`}
              name={p.name}
              stackId="attempts"
              fill={SHARD_COLOURS[i % SHARD_COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      }
      table={(page) => (
        <table aria-label="Attempts per lane data">
          <thead>
            <tr>
              <th scope="col">Lane end</th>
              {producers.map((p) => (
                <th scope="col" key={p.id}>
                  {p.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page(Array.from({ length: lanes }, (_, i) => i)).map((i) => (
              <tr key={i}>
                <th scope="row">{label(i)}</th>
                {producers.map((p) => (
                  <td key={p.id}>{formatCount(p.retries.lanes[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
});

import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip } from 'recharts';
import { useSim } from '../../state/SimStoreProvider';
import type { SimState } from '../../state/store';
import type { StreamSnapshot } from '../../worker/engineTypes';
import { formatByteLimit, formatBytes, formatCount, formatVirtualTime } from '../format';
import { LabelledSelect } from '../LabelledSelect';
import { ChartFrame } from './ChartFrame';
import { useChartFontPx } from './chartFont';
import { type LensPeriodRow, lensRows } from './cloudWatchData';
import {
  type LensMetric,
  type LensPeriod,
  type LensStatistic,
  STREAM_LEVEL,
  useCloudWatchLens,
} from './cloudWatchLensState';
import { LIMIT_COLOUR } from './palette';
import { valueAxis, virtualTimeAxis } from './ShardLinesChart';

const selectLimits = (s: SimState) => s.limits;
const selectOn = (s: { on: boolean }) => s.on;

/**
 * The "CloudWatch lens" switch: when on, the throughput and throttling charts show, next to the per-second
 * truth, what CloudWatch would show of the same writes. Shared by both charts (and the presenter stage).
 */
export function CloudWatchLensSwitch() {
  const on = useCloudWatchLens(selectOn);
  const setOn = useCloudWatchLens((s) => s.setOn);
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      className="link cloudwatch-switch"
      onClick={() => setOn(!on)}
      title="One switch for Write throughput and Throttling: each shows what Amazon CloudWatch would, in 1- or 5-minute periods, next to the per-second truth"
    >
      CloudWatch lens (both charts): {on ? 'on' : 'off'}
    </button>
  );
}

/** Whether the lens is on (a chart shows its CloudWatch view under its per-second one). */
export function useLensOn(): boolean {
  return useCloudWatchLens(selectOn);
}

/** Nouns and units of a metric, as the captions and headers say them. */
const METRIC_WORDS: Record<LensMetric, { noun: string; unit: string; what: string }> = {
  IncomingRecords: { noun: 'records', unit: 'records', what: 'records successfully put (accepted)' },
  IncomingBytes: { noun: 'bytes', unit: 'bytes', what: 'bytes (data + partition key) successfully put' },
  WriteProvisionedThroughputExceeded: {
    noun: 'records throttled',
    unit: 'records',
    what: 'records rejected with ProvisionedThroughputExceededException',
  },
};

/** The Statistic menu's short names (the caption, legend and table headers say them in full). */
const STATISTIC_OPTION: Record<LensStatistic, (seconds: number) => string> = {
  rate: (seconds) => `Sum ÷ ${seconds} s (derived rate)`,
  Sum: () => 'Sum',
  SampleCount: () => 'SampleCount (put operations)',
  Average: () => 'Average (per put operation)',
  Minimum: () => 'Minimum (fewest in one put operation)',
  Maximum: () => 'Maximum (most in one put operation)',
};

function statisticName(statistic: LensStatistic, metric: LensMetric, seconds: number): string {
  const { noun, unit } = METRIC_WORDS[metric];
  switch (statistic) {
    case 'rate':
      return `Sum ÷ ${seconds} s (derived ${unit}/s)`;
    case 'Sum':
      return `Sum (${noun} per period)`;
    case 'SampleCount':
      return 'SampleCount (put operations)';
    case 'Average':
      return `Average (${noun} per put operation)`;
    case 'Minimum':
      return `Minimum (fewest ${noun} in a single put operation)`;
    case 'Maximum':
      return `Maximum (most ${noun} in a single put operation)`;
  }
}

function statisticValue(row: LensPeriodRow, statistic: LensStatistic): number | null {
  if (!row.hasData) return null;
  switch (statistic) {
    case 'rate':
      return row.rate;
    case 'Sum':
      return row.sum;
    case 'SampleCount':
      return row.sampleCount;
    case 'Average':
      return row.average;
    case 'Minimum':
      return row.minimum;
    case 'Maximum':
      return row.maximum;
  }
}

/** The row (0 = stream) a dimension names, or the busiest carried shard for ''. */
function rowOf(stream: StreamSnapshot, dimension: string): number {
  const cw = stream.cloudWatch;
  if (dimension === STREAM_LEVEL) return 0;
  const carried = Array.from(cw.shardPositions);
  if (dimension !== '') {
    const at = carried.findIndex((position) => stream.shards[position]?.shardId === dimension);
    if (at >= 0) return at + 1;
  }
  if (carried.length === 0) return 0;
  // The busiest: most attempts (accepted + throttled) over the 1-minute periods carried.
  const series = cw.oneMinute;
  const fields = cw.fields;
  const total = (row: number) => {
    let sum = 0;
    for (const field of ['incomingRecords', 'throttledRecords'] as const) {
      const base = (row * fields.length + fields.indexOf(field)) * series.periods;
      for (let p = 0; p < series.periods; p++) sum += series.data[base + p] ?? 0;
    }
    return sum;
  };
  let best = 1;
  for (let row = 2; row <= carried.length; row++) if (total(row) > total(best)) best = row;
  return best;
}

/**
 * What CloudWatch would show of one metric (IncomingRecords, IncomingBytes or
 * WriteProvisionedThroughputExceeded) of the stream or one shard, at 1- or 5-minute periods, with the
 * statistic chosen, next to the per-second truth the same periods hide (the busiest second, the seconds that
 * throttled). Every number is the simulation's: sums counted as records were written, per-operation
 * statistics from the put operations the write path saw (not known for attempts simulated in aggregate).
 */
export function CloudWatchLensPanel({
  metric,
  height,
  withSwitch = false,
}: {
  metric: LensMetric;
  height: number;
  /**
   * On the stage, where it replaces the per-second chart: carry the lens switch, and leave out the choice of
   * shard (the busiest, or the one chosen on the page) to keep the plot's room.
   */
  withSwitch?: boolean;
}) {
  const stream = useSim((s: SimState) => s.snapshot?.stream ?? null);
  const limits = useSim(selectLimits);
  const fontPx = useChartFontPx();
  const period = useCloudWatchLens((s) => s.period);
  const statistic = useCloudWatchLens((s) => s.statistic);
  const dimension = useCloudWatchLens((s) => s.dimension);
  const setPeriod = useCloudWatchLens((s) => s.setPeriod);
  const setStatistic = useCloudWatchLens((s) => s.setStatistic);
  const setDimension = useCloudWatchLens((s) => s.setDimension);
  const seconds = period * 60;
  const view = useMemo(() => {
    if (!stream || !limits) return null;
    const cw = stream.cloudWatch;
    const series = period === 1 ? cw.oneMinute : cw.fiveMinutes;
    const row = rowOf(stream, dimension);
    const rows = lensRows(cw, series, row, metric, stream.createdMs);
    const position = row > 0 ? cw.shardPositions[row - 1] : undefined;
    const shardId = position === undefined ? undefined : stream.shards[position]?.shardId;
    const perSecondLimit =
      metric === 'IncomingBytes'
        ? limits.bytesPerSecond
        : metric === 'IncomingRecords'
          ? limits.recordsPerSecond
          : undefined;
    // Per shard only: the stream's limit is the sum over its open shards, which change with resharding.
    const limit = shardId !== undefined ? perSecondLimit : undefined;
    return { cw, series, row, rows, shardId, limit };
  }, [stream, limits, period, dimension, metric]);
  if (!stream || !view) return null;
  const words = METRIC_WORDS[metric];
  const bytes = metric === 'IncomingBytes';
  const fmt = (v: number) => (bytes ? formatBytes(v) : formatCount(v));
  const fmtRate = (v: number) => (bytes ? `${formatBytes(v)}/s` : `${formatCount(v)} records/s`);
  const statName = statisticName(statistic, metric, seconds);
  const level = view.shardId
    ? `${view.shardId} (enhanced shard-level metric)`
    : `the stream ${stream.streamName} (basic stream-level metric)`;
  const periodWords = period === 1 ? '1-minute' : '5-minute';
  const latest = [...view.rows].reverse().find((r) => r.hasData);
  const perRate = statistic === 'rate';
  // The limit a statistic can be compared with: per second for the derived rate, × seconds for the Sum.
  const limitLine =
    view.limit === undefined
      ? undefined
      : perRate
        ? view.limit
        : statistic === 'Sum'
          ? view.limit * seconds
          : undefined;
  const showTruth = perRate && metric !== 'WriteProvisionedThroughputExceeded';
  const data = view.rows.map((r) => ({
    atMs: r.startMs,
    stat: statisticValue(r, statistic),
    truth: showTruth ? r.peakSecond : null,
  }));
  // A step holds its value to the period's end: one more point closes the last step.
  const last = data[data.length - 1];
  if (last) data.push({ atMs: last.atMs + seconds * 1000, stat: last.stat, truth: last.truth });
  let max = limitLine ?? 0;
  for (const d of data) max = Math.max(max, d.stat ?? 0, d.truth ?? 0);
  const startMs = data[0]?.atMs ?? stream.nowMs;
  const endMs = data[data.length - 1]?.atMs ?? stream.nowMs;
  const pct = (v: number) => (view.limit ? `${Math.round((100 * v) / view.limit)} %` : '');
  const title = `CloudWatch ${metric}`;
  const dimensionOptions = Array.from(view.cw.shardPositions)
    .map((position) => stream.shards[position]?.shardId)
    .filter((id): id is string => id !== undefined)
    .sort();
  const statCell = (value: number | null, row: LensPeriodRow, format: (v: number) => string) =>
    !row.hasData ? 'no data' : value === null ? 'not known (simulated in aggregate)' : format(value);
  const truthCell = (value: number | null, row: LensPeriodRow, format: (v: number) => string) =>
    value === null && row.aggregatedAttempts > 0 ? 'not known (simulated in aggregate)' : format(value ?? 0);
  const isWpte = metric === 'WriteProvisionedThroughputExceeded';
  const headers = [
    'Period start (UTC)',
    `Sum (${words.noun})`,
    'SampleCount (put operations)',
    `Average (${words.noun} per put operation)`,
    `Minimum (fewest ${words.noun} in a single put operation)`,
    `Maximum (most ${words.noun} in a single put operation)`,
    `Sum ÷ ${seconds} s (derived, ${words.unit}/s)`,
    ...(isWpte ? [] : ['Derived rate, % of the shard limit', "Busiest second's demand (per-second truth)"]),
    'Seconds that throttled (per-second truth)',
  ];
  const cells = (r: LensPeriodRow): string[] => [
    formatVirtualTime(r.startMs).replace(/:00\.000 UTC$/, ''),
    r.hasData ? fmt(r.sum) : 'no data',
    statCell(r.sampleCount, r, formatCount),
    statCell(r.average, r, (v) => (bytes ? formatBytes(v) : v.toFixed(1))),
    statCell(r.minimum, r, fmt),
    statCell(r.maximum, r, fmt),
    r.hasData ? (bytes ? formatBytes(r.rate) : r.rate.toFixed(1)) : 'no data',
    ...(isWpte
      ? []
      : [
          r.hasData && view.limit ? pct(r.rate) : 'n/a',
          truthCell(r.peakSecond, r, (v) => (bytes ? `${formatBytes(v)}/s` : `${formatCount(v)} records/s`)),
        ]),
    truthCell(r.throttledSeconds, r, (v) => `${formatCount(v)} of ${seconds}`),
  ];
  return (
    <ChartFrame
      title={title}
      csv={() => ({ headers, rows: [...view.rows].reverse().map(cells) })}
      description={
        <>
          What CloudWatch would show: <strong>{metric}</strong> ({words.what}) of {level}, {periodWords}{' '}
          periods, statistic <strong>{statName}</strong>
          {perRate
            ? ' — not a CloudWatch statistic: the Sum divided by the period, as people compare it with the per-second limit'
            : ''}
          .{' '}
          {latest ? (
            <span data-testid="cloudwatch-latest">
              Latest complete period with data, from {formatVirtualTime(latest.startMs)}: Sum ÷ {seconds} s ={' '}
              {fmtRate(latest.rate)}
              {view.limit && !isWpte
                ? ` (${pct(latest.rate)} of the shard's ${bytes ? `${formatByteLimit(view.limit)}/s` : `${formatCount(view.limit)} records/s`})`
                : ''}
              {latest.peakSecond !== null && !isWpte
                ? `; per-second truth: its busiest second asked ${fmtRate(latest.peakSecond)}`
                : ''}
              {latest.throttledSeconds !== null
                ? `${isWpte ? '; per-second truth:' : ','} ${formatCount(latest.throttledSeconds)} of its ${seconds} seconds throttled`
                : ''}
              .{' '}
            </span>
          ) : (
            <span>No complete period with data yet: CloudWatch gets a data point per whole minute. </span>
          )}
          {isWpte
            ? 'Average is records throttled per put operation; a Maximum of 0 means nothing was throttled, a Minimum above 0 that every put operation was.'
            : 'IncomingRecords and IncomingBytes count accepted records only: throttled ones are WriteProvisionedThroughputExceeded. A period’s sum hides its seconds.'}
          {view.rows.some((r) => r.aggregatedAttempts > 0)
            ? ' Periods simulated in aggregate (a jump, or a very fast producer) have exact sums, but their put operations — so SampleCount, Average, Minimum, Maximum and the busiest second — are not known.'
            : ''}
          {!view.shardId && !isWpte
            ? ' The stream-level metric has no single limit line: each shard has its own.'
            : ''}
        </>
      }
      actions={
        <>
          {withSwitch ? <CloudWatchLensSwitch /> : null}
          <LabelledSelect
            className="inline-field"
            label="Period"
            value={period}
            onChange={(e) => setPeriod(Number(e.target.value) as LensPeriod)}
          >
            <option value={1}>1 minute</option>
            <option value={5}>5 minutes</option>
          </LabelledSelect>
          <LabelledSelect
            className="inline-field"
            label="Statistic"
            value={statistic}
            onChange={(e) => setStatistic(e.target.value as LensStatistic)}
          >
            {(['rate', 'Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'] as const).map((s) => (
              <option key={s} value={s}>
                {STATISTIC_OPTION[s](seconds)}
              </option>
            ))}
          </LabelledSelect>
          {withSwitch ? null : (
            <LabelledSelect
              className="inline-field"
              label="Metrics of"
              value={dimension}
              onChange={(e) => setDimension(e.target.value)}
            >
              <option value="">busiest shard</option>
              <option value={STREAM_LEVEL}>stream (basic)</option>
              {dimensionOptions.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </LabelledSelect>
          )}
        </>
      }
      chart={
        <LineChart
          accessibilityLayer={false}
          width={720}
          height={height}
          data={data}
          margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
          role="img"
          aria-label={`Step chart of CloudWatch ${metric} ${statName} for ${level}, ${periodWords} periods${showTruth ? ', with the busiest second of each period' : ''}`}
        >
          <CartesianGrid strokeDasharray="3 3" />
          {virtualTimeAxis(startMs, Math.max(endMs, startMs + 60_000))}
          {valueAxis({ max, format: fmt, fontPx, integers: !bytes })}
          <Tooltip labelFormatter={(ms) => formatVirtualTime(Number(ms))} />
          <Legend />
          {limitLine !== undefined ? (
            <ReferenceLine
              y={limitLine}
              stroke={LIMIT_COLOUR}
              strokeWidth={2}
              strokeDasharray="8 4"
              label={{
                value:
                  statistic === 'Sum'
                    ? `limit × ${seconds} s = ${fmt(limitLine)}`
                    : `limit ${fmtRate(limitLine)}`,
                position: 'insideTopRight',
                fill: LIMIT_COLOUR,
              }}
            />
          ) : null}
          {showTruth ? (
            <Line
              dataKey="truth"
              type="stepAfter"
              name="per-second truth: busiest second's demand"
              stroke="#374151"
              strokeDasharray="6 3"
              strokeWidth={2}
              legendType="plainline"
              dot={false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ) : null}
          <Line
            dataKey="stat"
            type="stepAfter"
            name={`CloudWatch: ${statName}`}
            stroke="#1d4ed8"
            strokeWidth={3}
            legendType="square"
            dot={false}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      }
      table={
        <table aria-label={`${title} data`}>
          <thead>
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...view.rows].reverse().map((r) => {
              const [first, ...rest] = cells(r);
              return (
                <tr key={r.startMs}>
                  <th scope="row">{first}</th>
                  {rest.map((c, i) => (
                    <td key={headers[i + 1]}>{c}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      }
    />
  );
}

import { memo, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip } from 'recharts';
import { useSim } from '../../state/SimStoreProvider';
import { selectLimits } from '../../state/selectors';
import type { CapacityPoint, SimState } from '../../state/store';
import type { StreamSnapshot } from '../../worker/engineTypes';
import { AGGREGATE_SHARD_COUNTS, AggregateNote } from '../AggregateNote';
import { formatCount, formatVirtualTime } from '../format';
import { LabelledSelect } from '../LabelledSelect';
import { ON_DEMAND_SOURCE, peakText, scalingText } from '../onDemand';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { useChartFontPx } from './chartFont';
import { useChartHeight } from './chartHeight';
import { LIMIT_COLOUR } from './palette';
import { valueAxis, virtualTimeAxis } from './ShardLinesChart';
import { useTimeWindow } from './useTimeWindow';

export interface CapacityRow {
  /** Seconds (span "seconds") or minutes (span "run") relative to now (negative = past). */
  t: number;
  /** The virtual instant (epoch ms): a second's start, or when the point was taken. */
  atMs: number;
  openShards: number;
  /** Open shards × a shard's records/s limit. */
  capacity: number;
  /** Records asked (accepted + throttled) over every shard that second. */
  demand: number;
  throttled: number;
}

/**
 * Open shards, write capacity and demand for each second of the snapshot's history. A shard counts as open
 * in a second when it took writes at that second's end: from its openedMs (a child's is its parents' close;
 * its CreatedMs is a moment later, as on AWS) until it closed (UpdateShardCount's pieces never count). Demand
 * sums every shard listed, so a parent's demand before a split counts in its seconds and its children's after.
 */
export function capacityRows(stream: StreamSnapshot, recordsPerSecond: number): CapacityRow[] {
  const spans = stream.lineage.map((shard) => ({ opened: shard.openedMs, closed: shard.closedMs }));
  const n = stream.shards.length;
  const rows: CapacityRow[] = [];
  for (let t = 0; t < stream.seconds; t++) {
    const second = stream.firstSecond + t;
    const end = (second + 1) * 1000 - 1;
    let openShards = 0;
    for (const span of spans)
      if (span.opened <= end && (span.closed === null || span.closed > end)) openShards++;
    let demand = 0;
    let throttled = 0;
    for (let s = 0; s < n; s++) {
      const i = s * stream.seconds + t;
      const refused = stream.series.throttledRecords[i] ?? 0;
      demand += (stream.series.incomingRecords[i] ?? 0) + refused;
      throttled += refused;
    }
    rows.push({
      t: t - stream.seconds,
      atMs: second * 1000,
      openShards,
      capacity: openShards * recordsPerSecond,
      demand,
      throttled,
    });
  }
  return rows;
}

/** The whole run from the store's history (one point per view refresh), minutes before `nowMs`. */
export function runRows(history: CapacityPoint[], nowMs: number, recordsPerSecond: number): CapacityRow[] {
  return history.map((p) => ({
    t: Math.round(((p.nowMs - nowMs) / 60_000) * 100) / 100,
    atMs: p.nowMs,
    openShards: p.openShards,
    capacity: p.openShards * recordsPerSecond,
    demand: p.demand,
    throttled: p.throttled,
  }));
}

const selectHistory = (s: SimState) => s.capacityHistory;
type Span = 'run' | 'seconds';

const DEMAND_COLOUR = '#1d4ed8';
const CAPACITY_COLOUR = '#047857';
const SHARDS_COLOUR = '#6b21a8';

/**
 * On-demand capacity as it scales: open shards and their write capacity against the stream's demand, per
 * virtual second, with the 30-day peak the engine keeps capacity for. ON_DEMAND streams only.
 */
export const CapacityChart = memo(function CapacityChart() {
  const plotHeight = useChartHeight(240);
  const stream = useViewStream();
  const limits = useSim(selectLimits);
  const history = useSim(selectHistory);
  const [span, setSpan] = useState<Span>('run');
  const fontPx = useChartFontPx();
  const timeSpan = useTimeWindow(stream);
  const seconds = useMemo(
    () =>
      stream && limits && stream.mode === 'ON_DEMAND' ? capacityRows(stream, limits.recordsPerSecond) : [],
    [stream, limits],
  );
  const run = useMemo(
    () => (stream && limits ? runRows(history, stream.nowMs, limits.recordsPerSecond) : []),
    [history, stream, limits],
  );
  if (!stream || !limits || stream.mode !== 'ON_DEMAND' || !stream.onDemand || !timeSpan) return null;
  const peak = stream.onDemand.peakRecordsPerSecond;
  // capacityRows lists every second the snapshot carries: the chart draws its time window of them.
  const rows = span === 'run' ? run : seconds.slice(timeSpan.from);
  let mostRecords = peak;
  let mostShards = 1;
  for (const r of rows) {
    mostRecords = Math.max(mostRecords, r.demand, r.capacity);
    mostShards = Math.max(mostShards, r.openShards);
  }
  const startMs = rows[0]?.atMs ?? stream.nowMs;
  const endMs = rows[rows.length - 1]?.atMs ?? stream.nowMs;
  const last = seconds[seconds.length - 1];
  const scaling = scalingText(stream);
  const iso = (ms: number) => new Date(ms).toISOString();
  const timeHeader = span === 'run' ? 'Virtual time (UTC)' : 'Second (UTC)';
  return (
    <ChartFrame
      title="On-demand capacity"
      csv={() => ({
        headers: [
          span === 'run' ? 'virtual time (UTC)' : 'second (UTC)',
          'Open shards',
          'Write capacity records/s',
          'Demand records/s (accepted + throttled)',
          'Throttled records',
        ],
        rows: rows.map((r) => [iso(r.atMs), r.openShards, r.capacity, r.demand, r.throttled]),
      })}
      description={
        <>
          Open shards and their write capacity (open shards × {formatCount(limits.recordsPerSecond)}{' '}
          records/s) against the stream's demand (records asked, accepted + throttled, per virtual second){' '}
          {span === 'run'
            ? 'since this page began showing the stream: one point each time the view refreshes, demand being its last completed second'
            : `per virtual second, ${timeSpan.caption}`}
          . On-demand scaling as the {ON_DEMAND_SOURCE} describes it: capacity for twice the peak write demand
          of the previous 30 days, and any shard carrying more than 500 KB/s split evenly by hash range within
          15 minutes — never by key, so a hot key still throttles; a spike above twice the peak throttles
          until scaling catches up. Scale-down is not simulated.{' '}
          <span data-testid="on-demand-peak">30-day peak: {peakText(stream)}.</span>{' '}
          {last
            ? `Now: ${formatCount(last.openShards)} open shards, capacity ${formatCount(last.capacity)} records/s, demand ${formatCount(last.demand)} records/s.`
            : ''}{' '}
          {scaling ? <strong data-testid="on-demand-scaling">{scaling}</strong> : 'No scaling is under way.'}
          <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
        </>
      }
      actions={
        <LabelledSelect
          className="inline-field"
          label="Span"
          value={span}
          onChange={(e) => setSpan(e.target.value as Span)}
        >
          <option value="run">since this page began showing it</option>
          <option value="seconds">{timeSpan.short}, per second</option>
        </LabelledSelect>
      }
      chart={
        <LineChart
          // One Tab stop per chart: its toolbar; the data table is the keyboard way through its points.
          accessibilityLayer={false}
          width={720}
          height={plotHeight}
          data={rows}
          margin={{ top: 8, right: 24, bottom: 8, left: 16 }}
          role="img"
          aria-label="Line chart of open shards and write capacity against demand per second"
        >
          <CartesianGrid strokeDasharray="3 3" />
          {virtualTimeAxis(startMs, endMs)}
          {valueAxis({ yAxisId: 'records', max: mostRecords, format: (v) => formatCount(v), fontPx })}
          {valueAxis({
            yAxisId: 'shards',
            orientation: 'right',
            // Twice the most shards: the shard line runs below the capacity line it is proportional to.
            max: Math.max(2, mostShards * 2),
            format: (v) => formatCount(v),
            fontPx,
          })}
          <Tooltip labelFormatter={(ms) => formatVirtualTime(Number(ms))} />
          <Legend />
          {peak > 0 ? (
            <ReferenceLine
              yAxisId="records"
              y={peak}
              stroke={LIMIT_COLOUR}
              strokeDasharray="8 4"
              label={{ value: '30-day peak', position: 'insideTopLeft', fill: LIMIT_COLOUR }}
            />
          ) : null}
          <Line
            yAxisId="records"
            dataKey="demand"
            name="Demand (records/s)"
            stroke={DEMAND_COLOUR}
            strokeWidth={2}
            legendType="circle"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="records"
            dataKey="capacity"
            name="Write capacity (records/s)"
            type="stepAfter"
            stroke={CAPACITY_COLOUR}
            strokeWidth={2}
            strokeDasharray="6 3"
            legendType="square"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="shards"
            dataKey="openShards"
            name="Open shards (right axis)"
            type="stepAfter"
            stroke={SHARDS_COLOUR}
            strokeWidth={1.5}
            legendType="triangle"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      }
      table={() => (
        <table aria-label="On-demand capacity data">
          <thead>
            <tr>
              <th scope="col">{timeHeader}</th>
              <th scope="col">Open shards</th>
              <th scope="col">Write capacity (records/s)</th>
              <th scope="col">Demand (records/s)</th>
              <th scope="col">Throttled records</th>
            </tr>
          </thead>
          <tbody>
            {rows
              .slice()
              .reverse()
              .map((r) => (
                <tr key={r.atMs}>
                  <th scope="row">{iso(r.atMs)}</th>
                  <td>{formatCount(r.openShards)}</td>
                  <td>{formatCount(r.capacity)}</td>
                  <td>{formatCount(r.demand)}</td>
                  <td>{formatCount(r.throttled)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    />
  );
});

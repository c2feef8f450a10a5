import { memo, useMemo, useState } from 'react';
import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip } from 'recharts';
import { useSim } from '../../state/SimStoreProvider';
import { retentionTotals, type SimState } from '../../state/store';
import { AGGREGATE_SHARD_COUNTS, AggregateNote } from '../AggregateNote';
import {
  formatByteLimit,
  formatBytes,
  formatCount,
  formatDuration,
  formatExpiredShards,
  formatSpan,
  formatVirtualTime,
} from '../format';
import { LabelledSelect } from '../LabelledSelect';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { MAX_LINES, recentSum, timeRows, topShards } from './chartData';
import { useChartFontPx } from './chartFont';
import { useChartHeight } from './chartHeight';
import { shardLinesChart, valueAxis, virtualTimeAxis } from './ShardLinesChart';
import { breakAtGaps } from './timeAxis';
import { useTimeWindow } from './useTimeWindow';

type View = 'total' | 'per-shard';

const selectHistory = (s: SimState) => s.retentionHistory;

/** A count bucket's width: 1,024 s, or 250 ms below a second. */
const countBucketText = (ms: number) =>
  ms >= 1000 ? `${formatCount(ms / 1000)} s` : `${formatCount(ms)} ms`;

/** Records retained over virtual time, records expired, and when the next expiry happens. */
/**
 * Why a stream's records became counts early: which of the engine's budgets, shared by all streams (records
 * held in detail, or their payload bytes), was reached, and how many records each released.
 */
function releaseCauseText(stream: NonNullable<SimState['viewStream']>): string {
  const forPayload = stream.releasedForPayloadRecords;
  const forRecords = stream.releasedRecords - forPayload;
  const records = `${formatCount(stream.detailBudget)} readable records`;
  const data = `${formatByteLimit(stream.payloadBudgetBytes)} of readable data and partition keys`;
  if (forPayload === 0) return `because all streams together reached the simulation's limit of ${records}`;
  if (forRecords === 0) return `because all streams together reached the simulation's limit of ${data}`;
  return (
    `${formatCount(forRecords)} because all streams together reached the simulation's limit of ${records}, ` +
    `${formatCount(forPayload)} because they reached its limit of ${data}`
  );
}

export const RetentionChart = memo(function RetentionChart() {
  const plotHeight = useChartHeight(220);
  const stream = useViewStream();
  const history = useSim(selectHistory);
  // A jump in virtual time leaves two points far apart: the lines break there instead of joining them, and
  // their points are drawn as dots (a short run on a long axis would be too small to see as a line).
  const drawnHistory = useMemo(() => breakAtGaps(history, ['retained', 'expired']), [history]);
  const broken = drawnHistory.length > history.length;
  const [view, setView] = useState<View>('total');
  const fontPx = useChartFontPx();
  const timeSpan = useTimeWindow(stream);
  const from = timeSpan?.from ?? 0;
  const perShard = useMemo(() => {
    if (!stream) return null;
    const series = stream.series.retainedRecords;
    const value = (shard: number, t: number) => series[shard * stream.seconds + t] ?? 0;
    // The busiest shards by what they hold now (the last second of the window).
    const shown = topShards(recentSum(series, stream.shards.length, stream.seconds, 1), MAX_LINES);
    return { rows: timeRows(stream, shown, value, undefined, from), shown };
  }, [stream, from]);
  const totals = useMemo(() => (stream ? retentionTotals(stream) : null), [stream]);
  if (!stream || !totals || !timeSpan) return null;
  let mostRetained = 0;
  for (const p of history) mostRetained = Math.max(mostRetained, p.retained, p.expired);
  const nowMs = stream.nowMs;
  const next = stream.nextExpiryMs;
  return (
    <ChartFrame
      title="Retention"
      csv={() => ({
        headers: ['virtual time (UTC)', 'Retained records', 'Expired records (total)'],
        rows: history.map((p) => [new Date(p.nowMs).toISOString(), p.retained, p.expired]),
      })}
      description={
        <>
          <span data-testid="retention-summary">
            {formatCount(totals.retained)} records ({formatBytes(totals.bytes)}) retained,{' '}
            {formatCount(totals.expired)} expired
            {stream.expiredShards.shards > 0
              ? ` (${formatCount(stream.expiredShards.expired)} of them on ${formatExpiredShards(stream.expiredShards.shards)}, gone from ListShards)`
              : ''}
            .
          </span>{' '}
          A record is readable until its arrival + RetentionPeriodHours ({stream.retentionHours} h).{' '}
          <span data-testid="next-expiry">
            {next === null
              ? 'Nothing is retained, so nothing will expire.'
              : `Next expiry at ${formatVirtualTime(next)} (in ${formatDuration(next - nowMs)}).`}
          </span>
          {totals.countOnly > 0 ? (
            <span data-testid="count-resolution">
              {' '}
              {formatCount(totals.countOnly)} of the retained records are held as counts only. Records held as
              counts expire in {countBucketText(stream.countBucketMs)} buckets: up to{' '}
              {formatSpan(stream.countBucketMs)} late, never early.
            </span>
          ) : null}
          {stream.releasedRecords > 0 ? (
            <span data-testid="released-early">
              {' '}
              Since the stream was created, {formatCount(stream.releasedRecords)} of its records became counts
              before their retention ended (still counted, no longer readable), {releaseCauseText(stream)}.
              The oldest records of all streams go first.
            </span>
          ) : null}
          <span className="chart-window">
            {view === 'per-shard'
              ? ` Drawn per shard, ${timeSpan.caption}.`
              : ' Drawn for all shards over virtual time since this page began showing the stream, one point per view refresh; a jump in time leaves a gap in the lines (nothing was measured in between), and the points are then drawn as dots.'}
          </span>
          {view === 'per-shard' && perShard && perShard.shown.length < stream.shards.length
            ? ` Per shard: the ${perShard.shown.length} of ${formatCount(stream.shards.length)} shards holding the most records now are drawn; the data table has every shard.`
            : ''}
          <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
        </>
      }
      actions={
        <LabelledSelect
          className="inline-field"
          label="View"
          value={view}
          onChange={(e) => setView(e.target.value as View)}
        >
          <option value="total">all shards, over the session</option>
          <option value="per-shard">per shard, {timeSpan.short}</option>
        </LabelledSelect>
      }
      chart={
        view === 'per-shard' && perShard ? (
          shardLinesChart({
            stream,
            rows: perShard.rows,
            shown: perShard.shown,
            ariaLabel: 'Line chart of records retained per shard',
            height: plotHeight,
            window: timeSpan,
            fontPx,
            formatY: (v) => formatCount(v),
          })
        ) : (
          <ComposedChart
            // One Tab stop per chart: its toolbar; the data table is the keyboard way through its points.
            accessibilityLayer={false}
            width={720}
            height={plotHeight}
            data={drawnHistory}
            margin={{ top: 8, right: 24, bottom: 8, left: 16 }}
            role="img"
            aria-label="Chart of records retained and expired over virtual time"
          >
            <CartesianGrid strokeDasharray="3 3" />
            {virtualTimeAxis(
              history[0]?.nowMs ?? nowMs,
              history[history.length - 1]?.nowMs ?? nowMs,
              'nowMs',
            )}
            {valueAxis({ max: mostRetained, format: (v) => formatCount(v), fontPx })}
            <Tooltip labelFormatter={(t) => formatVirtualTime(Number(t))} />
            <Legend />
            <Area
              dataKey="retained"
              name="Retained"
              stroke="#2563eb"
              fill="#bfdbfe"
              dot={broken ? { r: 2 } : false}
              isAnimationActive={false}
            />
            <Line
              dataKey="expired"
              name="Expired (total)"
              stroke="#b45309"
              strokeDasharray="6 3"
              dot={broken ? { r: 2 } : false}
              isAnimationActive={false}
            />
          </ComposedChart>
        )
      }
      table={(page) => (
        <table aria-label="Retention data">
          <thead>
            <tr>
              <th scope="col">ShardId</th>
              <th scope="col">Retained</th>
              <th scope="col">Retained bytes</th>
              <th scope="col">Expired</th>
              <th scope="col">Held as counts only</th>
            </tr>
          </thead>
          <tbody>
            {page(stream.shards).map((shard) => (
              <tr key={shard.shardId}>
                <th scope="row">{shard.shardId}</th>
                <td>{formatCount(stream.retainedRecords[shard.position] ?? 0)}</td>
                <td>{formatBytes(stream.retainedBytes[shard.position] ?? 0)}</td>
                <td>{formatCount(stream.expired[shard.position] ?? 0)}</td>
                <td>{formatCount(stream.countOnly[shard.position] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
          {stream.expiredShards.shards > 0 ? (
            <tfoot>
              <tr data-testid="retention-expired-shards">
                <th scope="row">{formatExpiredShards(stream.expiredShards.shards)} (gone from ListShards)</th>
                <td>0</td>
                <td>{formatBytes(0)}</td>
                <td>{formatCount(stream.expiredShards.expired)}</td>
                <td>0</td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      )}
    />
  );
});

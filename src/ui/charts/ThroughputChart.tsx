import { memo, useMemo, useState } from 'react';
import { Line, ReferenceLine } from 'recharts';
import { useSim } from '../../state/SimStoreProvider';
import type { SimState } from '../../state/store';
import { AGGREGATE_SHARD_COUNTS, AggregateNote } from '../AggregateNote';
import { formatByteLimit, formatBytes, formatCount } from '../format';
import { LabelledSelect } from '../LabelledSelect';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { CloudWatchLensPanel, CloudWatchLensSwitch, useLensOn } from './CloudWatchLens';
import { MAX_LINES, seriesCsv, timeRows, topShards } from './chartData';
import { useChartFontPx } from './chartFont';
import { useChartHeight, useOnStage } from './chartHeight';
import { LIMIT_COLOUR } from './palette';
import { shardLinesChart } from './ShardLinesChart';
import { useTimeWindow } from './useTimeWindow';

const selectLimits = (s: SimState) => s.limits;
type Metric = 'records' | 'bytes';

/**
 * Write throughput per shard per virtual second, against the per-shard limits. Records/s shows demand
 * (accepted + throttled), so a shard asked for more than 1,000 records/s rises above the limit line.
 */
export const ThroughputChart = memo(function ThroughputChart() {
  const lensOn = useLensOn();
  const onStage = useOnStage();
  const plotHeight = useChartHeight(260);
  const stream = useViewStream();
  const limits = useSim(selectLimits);
  const [metric, setMetric] = useState<Metric>('records');
  const fontPx = useChartFontPx();
  const timeSpan = useTimeWindow(stream);
  const from = timeSpan?.from ?? 0;
  const view = useMemo(() => {
    if (!stream || !limits) return null;
    const n = stream.shards.length;
    // Accepted + throttled, read straight from the snapshot's shard-major arrays.
    const accepted = metric === 'records' ? stream.series.incomingRecords : stream.series.incomingBytes;
    const refused = metric === 'records' ? stream.series.throttledRecords : stream.series.throttledBytes;
    const seconds = stream.seconds;
    const demand = (s: number, t: number) =>
      (accepted[s * seconds + t] ?? 0) + (refused[s * seconds + t] ?? 0);
    const recent = new Float64Array(n);
    for (let s = 0; s < n; s++)
      for (let t = Math.max(0, stream.seconds - 10); t < stream.seconds; t++)
        recent[s] = (recent[s] as number) + demand(s, t);
    const shown = topShards(recent, MAX_LINES);
    const limit = metric === 'records' ? limits.recordsPerSecond : limits.bytesPerSecond;
    const lastSecond = stream.seconds - 1;
    const over = shown.filter((s) => demand(s, lastSecond) > limit);
    return {
      rows: timeRows(stream, shown, demand, shown.length < n ? demand : undefined, from),
      shown,
      limit,
      over,
      lastSecond,
      demand,
      n,
    };
  }, [stream, limits, metric, from]);
  if (!stream || !view || !timeSpan) return null;
  const fmt = metric === 'records' ? formatCount : formatBytes;
  const limitText =
    metric === 'records' ? `${formatCount(view.limit)} records/s` : `${formatByteLimit(view.limit)}/s`;
  const unit = metric === 'records' ? 'records/s' : 'bytes/s';
  const lensMetric = metric === 'records' ? 'IncomingRecords' : 'IncomingBytes';
  // The stage has room for one chart: with the lens on, its CloudWatch view (which draws each period's
  // busiest second too) takes the place, and carries the switch to turn it off.
  if (lensOn && onStage) return <CloudWatchLensPanel metric={lensMetric} height={plotHeight} withSwitch />;
  return (
    <>
      <ChartFrame
        title="Write throughput"
        csv={() =>
          seriesCsv(
            stream,
            [
              { header: 'Accepted records', series: 'incomingRecords' },
              { header: 'Accepted bytes', series: 'incomingBytes' },
              { header: 'Throttled records', series: 'throttledRecords' },
              { header: 'Throttled bytes', series: 'throttledBytes' },
            ],
            from,
          )
        }
        description={
          <>
            Demand per shard per virtual second ({unit}, accepted + throttled),{' '}
            <span className="chart-window" data-testid="chart-window">
              {timeSpan.caption}
            </span>
            , against the per-shard limit of {limitText}.{' '}
            {view.shown.length < view.n
              ? `The ${view.shown.length} busiest of ${view.n} shards are drawn; "max" is the busiest shard each second.`
              : ''}
            {view.over.length > 0 ? (
              <strong className="over-limit">
                {' '}
                Over the limit now:{' '}
                {view.over
                  .map(
                    (s) => `${stream.shards[s]?.shardId} (${fmt(view.demand(s, view.lastSecond))} ${unit})`,
                  )
                  .join(', ')}
                .
              </strong>
            ) : null}
            <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
          </>
        }
        actions={
          <>
            <LabelledSelect
              className="inline-field"
              label="Measure"
              value={metric}
              onChange={(e) => setMetric(e.target.value as Metric)}
            >
              <option value="records">records/s</option>
              <option value="bytes">bytes/s</option>
            </LabelledSelect>
            <CloudWatchLensSwitch />
          </>
        }
        chart={shardLinesChart({
          stream,
          rows: view.rows,
          shown: view.shown,
          ariaLabel: `Line chart of write ${unit} per shard`,
          height: plotHeight,
          window: timeSpan,
          fontPx,
          yAtLeast: view.limit,
          formatY: (v) => (metric === 'records' ? formatCount(v) : formatBytes(v)),
          lineFor: (position, key) =>
            view.over.includes(position)
              ? { name: `${key} (over limit)`, width: 3.5 }
              : { name: key, width: 1.5 },
          extra: [
            <ReferenceLine
              key="limit"
              y={view.limit}
              stroke={LIMIT_COLOUR}
              strokeWidth={2}
              strokeDasharray="8 4"
              label={{ value: `limit ${limitText}`, position: 'insideTopRight', fill: LIMIT_COLOUR }}
            />,
            view.shown.length < view.n ? (
              <Line
                key="max"
                dataKey="max"
                name="max (busiest shard each second)"
                stroke="#111827"
                strokeWidth={1}
                legendType="plainline"
                dot={false}
                isAnimationActive={false}
              />
            ) : null,
          ],
        })}
        table={(page) => (
          <table aria-label="Write throughput data">
            <thead>
              <tr>
                <th scope="col">ShardId</th>
                <th scope="col">Last second ({unit})</th>
                <th scope="col">Average, last 10 s</th>
                <th scope="col">Peak, {timeSpan.short}</th>
                <th scope="col">Over limit?</th>
              </tr>
            </thead>
            <tbody>
              {page(stream.shards).map((shard) => {
                const s = shard.position;
                let peak = 0;
                let sum10 = 0;
                for (let t = from; t < stream.seconds; t++) {
                  const v = view.demand(s, t);
                  peak = Math.max(peak, v);
                  if (t >= stream.seconds - 10) sum10 += v;
                }
                const last = view.demand(s, view.lastSecond);
                return (
                  <tr key={shard.shardId}>
                    <th scope="row">{shard.shardId}</th>
                    <td>{fmt(last)}</td>
                    <td>{fmt(sum10 / 10)}</td>
                    <td>{fmt(peak)}</td>
                    <td>{last > view.limit ? 'yes' : 'no'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      />
      {lensOn ? <CloudWatchLensPanel metric={lensMetric} height={plotHeight} /> : null}
    </>
  );
});

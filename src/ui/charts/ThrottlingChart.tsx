import { memo, useMemo } from 'react';
import { AGGREGATE_SHARD_COUNTS, AggregateNote } from '../AggregateNote';
import { ErrorLog } from '../ErrorLog';
import { formatCount } from '../format';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { CloudWatchLensPanel, CloudWatchLensSwitch, useLensOn } from './CloudWatchLens';
import { MAX_LINES, recentSum, seriesCsv, timeRows, topShards } from './chartData';
import { useChartFontPx } from './chartFont';
import { useChartHeight, useOnStage } from './chartHeight';
import { shardLinesChart } from './ShardLinesChart';
import { useTimeWindow } from './useTimeWindow';

/** ProvisionedThroughputExceededException per shard per virtual second, and the latest error messages. */
export const ThrottlingChart = memo(function ThrottlingChart() {
  const lensOn = useLensOn();
  const onStage = useOnStage();
  const plotHeight = useChartHeight(220);
  const stream = useViewStream();
  const fontPx = useChartFontPx();
  const timeSpan = useTimeWindow(stream);
  const from = timeSpan?.from ?? 0;
  const view = useMemo(() => {
    if (!stream) return null;
    const n = stream.shards.length;
    const series = stream.series.throttledRecords;
    const value = (s: number, t: number) => series[s * stream.seconds + t] ?? 0;
    const recent = recentSum(series, n, stream.seconds, stream.seconds - from);
    const shown = topShards(recent, MAX_LINES).filter((s) => (recent[s] ?? 0) > 0);
    return { rows: timeRows(stream, shown, value, undefined, from), shown, value, recent };
  }, [stream, from]);
  if (!stream || !view || !timeSpan) return null;
  const throttledShards = stream.shards.filter((s) => (view.recent[s.position] ?? 0) > 0).length;
  // The stage has room for one chart: with the lens on, its CloudWatch view takes the place (see ThroughputChart).
  if (lensOn && onStage)
    return <CloudWatchLensPanel metric="WriteProvisionedThroughputExceeded" height={plotHeight} withSwitch />;
  return (
    <>
      <ChartFrame
        title="Throttling"
        csv={() =>
          seriesCsv(
            stream,
            [
              { header: 'ProvisionedThroughputExceededException records', series: 'throttledRecords' },
              { header: 'Throttled bytes', series: 'throttledBytes' },
            ],
            from,
          )
        }
        description={
          <>
            Records refused with ProvisionedThroughputExceededException per shard per virtual second,{' '}
            <span className="chart-window">{timeSpan.caption}</span>.{' '}
            {throttledShards === 0
              ? 'No shard is throttling.'
              : `${throttledShards} shard(s) throttled in this window.`}
            {view.shown.length < throttledShards
              ? ` The ${view.shown.length} most throttled of ${formatCount(throttledShards)} throttled shards are drawn; the data table and CSV have every shard.`
              : ''}
            <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
          </>
        }
        actions={<CloudWatchLensSwitch />}
        chart={shardLinesChart({
          stream,
          rows: view.rows,
          shown: view.shown,
          ariaLabel: 'Line chart of throttled records per shard per second',
          height: plotHeight,
          window: timeSpan,
          fontPx,
          formatY: (v) => formatCount(v),
        })}
        table={(page) => (
          <table aria-label="Throttling data">
            <thead>
              <tr>
                <th scope="col">ShardId</th>
                <th scope="col">Throttled, last second</th>
                <th scope="col">Throttled, {timeSpan.short}</th>
                <th scope="col">Throttled in all, this second too</th>
              </tr>
            </thead>
            <tbody>
              {page(stream.shards).map((shard) => (
                <tr key={shard.shardId}>
                  <th scope="row">{shard.shardId}</th>
                  <td>{formatCount(view.value(shard.position, stream.seconds - 1))}</td>
                  <td>{formatCount(view.recent[shard.position] ?? 0)}</td>
                  <td>{formatCount(stream.throttled[shard.position] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      />
      {lensOn ? (
        <CloudWatchLensPanel metric="WriteProvisionedThroughputExceeded" height={plotHeight} />
      ) : null}
      <div className="latest-errors">
        <h3 className="subheading">Latest errors, exactly as Kinesis returned them</h3>
        <ErrorLog />
      </div>
    </>
  );
});

import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorLog } from '../ErrorLog';
import { formatCount } from '../format';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { MAX_LINES, recentSum, seriesCsv, shortShardId, timeRows, topShards } from './chartData';
import { SERIES_STYLES } from './palette';
import { seriesEndMarkers } from './seriesMarkers';

/** ProvisionedThroughputExceededException per shard per virtual second, and the latest error messages. */
export const ThrottlingChart = memo(function ThrottlingChart() {
  const stream = useViewStream();
  const view = useMemo(() => {
    if (!stream) return null;
    const n = stream.shards.length;
    const series = stream.series.throttledRecords;
    const value = (s: number, t: number) => series[s * stream.seconds + t] ?? 0;
    const recent = recentSum(series, n, stream.seconds, stream.seconds);
    const shown = topShards(recent, MAX_LINES).filter((s) => (recent[s] ?? 0) > 0);
    return { rows: timeRows(stream, shown, value), shown, value, recent };
  }, [stream]);
  if (!stream || !view) return null;
  const throttledShards = stream.shards.filter((s) => (view.recent[s.position] ?? 0) > 0).length;
  return (
    <>
      <ChartFrame
        title="Throttling"
        csv={() =>
          seriesCsv(stream, [
            { header: 'ProvisionedThroughputExceededException records', series: 'throttledRecords' },
            { header: 'Throttled bytes', series: 'throttledBytes' },
          ])
        }
        description={
          <>
            Records refused with ProvisionedThroughputExceededException per shard per virtual second (last{' '}
            {stream.seconds} s).{' '}
            {throttledShards === 0
              ? 'No shard is throttling.'
              : `${throttledShards} shard(s) throttled in this window.`}
          </>
        }
        chart={
          <LineChart
            width={720}
            height={220}
            data={view.rows}
            margin={{ top: 8, right: 24, bottom: 8, left: 16 }}
            role="img"
            aria-label="Line chart of throttled records per shard per second"
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" type="number" domain={['dataMin', 0]} tickFormatter={(t: number) => `${t}s`} />
            <YAxis tickFormatter={(v: number) => formatCount(v)} width={80} />
            <Tooltip labelFormatter={(t) => `${String(t)} s`} />
            <Legend />
            {view.shown.map((s, i) => {
              const style = SERIES_STYLES[i % SERIES_STYLES.length] ?? SERIES_STYLES[0];
              const key = shortShardId(stream.shards[s]?.shardId ?? '');
              return (
                <Line
                  key={key}
                  dataKey={key}
                  stroke={style.stroke}
                  legendType={style.shape}
                  dot={false}
                  isAnimationActive={false}
                />
              );
            })}
            {seriesEndMarkers(
              view.shown.map((s, i) => {
                const style = SERIES_STYLES[i % SERIES_STYLES.length] ?? SERIES_STYLES[0];
                const key = shortShardId(stream.shards[s]?.shardId ?? '');
                const last = view.rows[view.rows.length - 1];
                return { key, shape: style.shape, stroke: style.stroke, value: Number(last?.[key] ?? 0) };
              }),
              -1,
            )}
          </LineChart>
        }
        table={
          <table aria-label="Throttling data">
            <thead>
              <tr>
                <th scope="col">ShardId</th>
                <th scope="col">Throttled, last second</th>
                <th scope="col">Throttled, last {stream.seconds} s</th>
                <th scope="col">Throttled since creation</th>
              </tr>
            </thead>
            <tbody>
              {stream.shards.map((shard) => (
                <tr key={shard.shardId}>
                  <th scope="row">{shard.shardId}</th>
                  <td>{formatCount(view.value(shard.position, stream.seconds - 1))}</td>
                  <td>{formatCount(view.recent[shard.position] ?? 0)}</td>
                  <td>{formatCount(stream.throttled[shard.position] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <h3 className="subheading">Latest errors, exactly as Kinesis returned them</h3>
      <ErrorLog />
    </>
  );
});

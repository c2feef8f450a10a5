import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis } from 'recharts';
import type { HotKeyInfo, StreamSnapshot } from '../../worker/engineTypes';
import { AGGREGATE_COUNTS, AGGREGATE_SHARD_COUNTS, AggregateNote } from '../AggregateNote';
import { formatBytes, formatCount, formatExpiredShards } from '../format';
import { ScrollRegion } from '../ScrollRegion';
import { useViewStream } from '../useViewStream';
import { ChartFrame } from './ChartFrame';
import { ALL_BARS_UP_TO, BAR_LIMIT, shortShardId } from './chartData';
import { useChartFontPx } from './chartFont';
import { useChartHeight } from './chartHeight';
import { valueAxis } from './ShardLinesChart';

interface Row {
  shard: string;
  shardId: string;
  accepted: number;
  throttled: number;
  /** Share of all attempted records, to compare with the keyspace share. */
  trafficPct: number;
  /** Share of the hash space, for open shards only (a closed shard's range is its children's now); null when closed. */
  keyspacePct: number | null;
}

/** Records per shard (accepted and throttled stacked), each shard's keyspace share, and the hottest keys. */
export const KeyDistributionChart = memo(function KeyDistributionChart() {
  const plotHeight = useChartHeight(260);
  const stream = useViewStream();
  const fontPx = useChartFontPx();
  const { rows, expiredPct } = useMemo<{ rows: Row[]; expiredPct: number }>(() => {
    if (!stream) return { rows: [], expiredPct: 0 };
    // Shares of all the stream's records, those of its EXPIRED shards (no longer listed) included.
    const expired = stream.expiredShards.accepted + stream.expiredShards.throttled;
    let total = expired;
    for (let i = 0; i < stream.shards.length; i++)
      total += (stream.accepted[i] ?? 0) + (stream.throttled[i] ?? 0);
    const pct = (n: number) => (total > 0 ? (n / total) * 100 : 0);
    const rows = stream.shards.map((s) => {
      const accepted = stream.accepted[s.position] ?? 0;
      const throttled = stream.throttled[s.position] ?? 0;
      return {
        shard: shortShardId(s.shardId),
        shardId: s.shardId,
        accepted,
        throttled,
        trafficPct: pct(accepted + throttled),
        keyspacePct: s.isOpen ? (s.endFraction - s.startFraction) * 100 : null,
      };
    });
    return { rows, expiredPct: pct(expired) };
  }, [stream]);
  // Thousands of bars (and their axis labels, which recharts measures one by one) would stall the page: past
  // ALL_BARS_UP_TO shards the chart draws the BAR_LIMIT busiest (accepted + throttled) in ShardId order and says so; the
  // data table and the CSV keep every shard.
  const drawn = useMemo(() => {
    if (rows.length <= ALL_BARS_UP_TO) return rows;
    return rows
      .map((r, i) => ({ i, attempts: r.accepted + r.throttled }))
      .sort((a, b) => b.attempts - a.attempts || a.i - b.i)
      .slice(0, BAR_LIMIT)
      .sort((a, b) => a.i - b.i)
      .map(({ i }) => rows[i] as Row);
  }, [rows]);
  const topN = drawn.length < rows.length;
  return (
    <>
      <ChartFrame
        title="Key distribution"
        csv={() => ({
          headers: [
            'ShardId',
            'StartingHashKey',
            'EndingHashKey',
            'Accepted',
            'Throttled',
            'Share of traffic %',
            'Share of keyspace %',
          ],
          rows: rows.map((r, i) => [
            r.shardId,
            stream?.shards[i]?.startingHashKey ?? '',
            stream?.shards[i]?.endingHashKey ?? '',
            r.accepted,
            r.throttled,
            r.trafficPct.toFixed(3),
            r.keyspacePct === null ? '' : r.keyspacePct.toFixed(6),
          ]),
        })}
        description={
          <>
            Records per shard since the stream was created: accepted, and throttled with
            ProvisionedThroughputExceededException. An open shard's fair share is its share of the keyspace
            (closed shards hold no range any more: their children do).
            {stream && stream.expiredShards.shards > 0 ? (
              <span data-testid="key-distribution-expired">
                {' '}
                Shares of traffic count the {formatExpiredShards(stream.expiredShards.shards)} too, no longer
                listed: {formatCount(stream.expiredShards.accepted)} accepted,{' '}
                {formatCount(stream.expiredShards.throttled)} throttled.
              </span>
            ) : null}
            {topN ? (
              <strong data-testid="key-distribution-top-n">
                {' '}
                Showing the {formatCount(drawn.length)} busiest of {formatCount(rows.length)} shards (accepted
                + throttled) — the data table and CSV have all.
              </strong>
            ) : null}
            <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
          </>
        }
        chart={
          <BarChart
            // One Tab stop per chart: its toolbar; the data table is the keyboard way through its points.
            accessibilityLayer={false}
            width={720}
            height={plotHeight}
            data={drawn}
            margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
            role="img"
            aria-label={
              topN
                ? `Bar chart of records per shard, accepted and throttled: the ${drawn.length} busiest of ${rows.length} shards`
                : 'Bar chart of records per shard, accepted and throttled'
            }
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="shard"
              label={{ value: 'shard', position: 'insideBottom', offset: -2 }}
              height={40}
            />
            {valueAxis({
              max: drawn.reduce((most, r) => Math.max(most, r.accepted + r.throttled), 0),
              format: (v) => formatCount(v),
              fontPx,
            })}
            <Tooltip formatter={(v) => formatCount(Number(v))} />
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
              stroke="#7f1d1d"
              strokeDasharray="4 2"
              isAnimationActive={false}
            />
          </BarChart>
        }
        table={(page) => (
          <table aria-label="Key distribution data">
            <thead>
              <tr>
                <th scope="col">ShardId</th>
                <th scope="col">Accepted</th>
                <th scope="col">Throttled</th>
                <th scope="col">Share of traffic</th>
                <th scope="col">Share of keyspace</th>
              </tr>
            </thead>
            <tbody>
              {page(rows).map((r) => (
                <tr key={r.shardId}>
                  <th scope="row">{r.shardId}</th>
                  <td>{formatCount(r.accepted)}</td>
                  <td>{formatCount(r.throttled)}</td>
                  <td>{r.trafficPct.toFixed(1)}%</td>
                  <td>
                    {r.keyspacePct === null
                      ? 'closed (its range is its children’s)'
                      : `${r.keyspacePct.toFixed(2)}%`}
                  </td>
                </tr>
              ))}
            </tbody>
            {stream && stream.expiredShards.shards > 0 ? (
              <tfoot>
                <tr data-testid="key-distribution-expired-row">
                  <th scope="row">
                    {formatExpiredShards(stream.expiredShards.shards)} (gone from ListShards)
                  </th>
                  <td>{formatCount(stream.expiredShards.accepted)}</td>
                  <td>{formatCount(stream.expiredShards.throttled)}</td>
                  <td>{expiredPct.toFixed(1)}%</td>
                  <td>expired</td>
                </tr>
              </tfoot>
            ) : null}
          </table>
        )}
      />
      <HotKeysTable stream={stream} />
    </>
  );
});

/** Why hot keys and skew vanish under AUTO record distribution, and what it costs. */
export function AutoNote() {
  return (
    <p className="muted" data-testid="auto-note">
      Record distribution is AUTO: Kinesis ignores PartitionKeys for placement and spreads records evenly over
      the open shards, so no hot keys are counted and no key can skew a shard — but records with the same key
      are no longer kept in order on one shard.
    </p>
  );
}

/** How many hot keys the table lists. */
const HOT_KEY_ROWS = 10;

/**
 * A key's attempts with how far the count may be off: "≥ n" when it is a sum over ExplicitHashKeys that may
 * be low, "n (≤ +e)" when it is an estimate that may be high by up to e.
 */
function countText(k: HotKeyInfo): string {
  if (k.error < 0) return `≥ ${formatCount(k.count)}`;
  if (k.error > 0) return `${formatCount(k.count)} (≤ +${formatCount(k.error)})`;
  return formatCount(k.count);
}

/** A stable identity for a hot-key row: one PartitionKey can appear on several shards and hash keys. */
const rowKey = (k: HotKeyInfo) => `${k.explicit ? 'e' : 'm'}|${k.shardId}|${k.hashKey}|${k.partitionKey}`;

/**
 * The hottest keys over the engine's window (the same one the diagnosis reads), counted by the hash key their
 * records were routed by and on the shard they went to: a key spread by ExplicitHashKey has a row per shard.
 */
function HotKeysTable({ stream }: { stream: StreamSnapshot | null }) {
  // Past the exact key limit counts are estimates; a key whose error bound is half its count is noise.
  const hotKeys = (stream?.hotKeys ?? []).filter((k) => k.error * 2 < k.count).slice(0, HOT_KEY_ROWS);
  const windowSeconds = stream?.windowSeconds ?? 0;
  const estimated = hotKeys.some((k) => k.error !== 0);
  const auto = stream?.recordDistribution === 'AUTO';
  return (
    <>
      <AggregateNote what={AGGREGATE_COUNTS} />
      {auto ? <AutoNote /> : null}
      <ScrollRegion label="Hottest partition keys table">
        <table aria-label="Hottest partition keys">
          <caption>
            Hottest PartitionKeys over the last {formatCount(windowSeconds)} virtual seconds: attempts
            (accepted + throttled), their bytes (data + key) and how many were throttled, on the ShardId their
            records went to. A key routed by ExplicitHashKey is counted on each shard it reached.
            {estimated
              ? ' "≤ +n": an estimate that may be high by up to n; "≥": a sum over ExplicitHashKeys that may be low.'
              : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">PartitionKey</th>
              <th scope="col">ShardId</th>
              <th scope="col">Attempts</th>
              <th scope="col">Bytes</th>
              <th scope="col">Throttled</th>
              <th scope="col">Busiest second (records)</th>
            </tr>
          </thead>
          <tbody>
            {hotKeys.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  {auto
                    ? 'Record distribution is AUTO: keys are ignored for placement, so no hot keys are counted.'
                    : `No records in the last ${formatCount(windowSeconds)} virtual seconds.`}
                </td>
              </tr>
            ) : (
              hotKeys.map((k) => (
                <tr key={rowKey(k)}>
                  <th scope="row" className="key">
                    {k.partitionKey}
                    {k.explicit ? (
                      <>
                        {' '}
                        <span className="tag">ExplicitHashKey</span>
                      </>
                    ) : null}
                  </th>
                  <td>{k.shardId}</td>
                  <td>{countText(k)}</td>
                  <td>{formatBytes(k.bytes)}</td>
                  <td>{formatCount(k.throttled)}</td>
                  <td>{formatCount(k.peakRecordsPerSecond)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

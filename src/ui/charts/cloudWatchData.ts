import type { CloudWatchField, CloudWatchPeriodSeries, CloudWatchSnapshot } from '../../worker/engineTypes';
import type { LensMetric } from './cloudWatchLensState';

/** One CloudWatch period of one metric and one dimension, as the lens shows it. */
export interface LensPeriodRow {
  /** Virtual epoch ms the period starts (CloudWatch labels a data point by its start). */
  startMs: number;
  /** Whether CloudWatch would have a data point: some put operation (or aggregate attempt) in the period. */
  hasData: boolean;
  /** CloudWatch's Sum: records (bytes) accepted, or records throttled (WriteProvisionedThroughputExceeded). */
  sum: number;
  /** SampleCount (put operations), Average (Sum ÷ SampleCount), Minimum and Maximum (per put operation);
   *  null when the period had attempts simulated in aggregate, whose put operations are not known. */
  sampleCount: number | null;
  average: number | null;
  minimum: number | null;
  maximum: number | null;
  /** Sum ÷ the period's seconds: derived, not a CloudWatch statistic (what people compare with the limit). */
  rate: number;
  /**
   * The per-second truth CloudWatch hides (null when not known): the busiest second's demand (accepted +
   * throttled; records or bytes) and the seconds that throttled — of the shard, or for the stream row, of
   * all its shards together (a second throttled when any shard did).
   */
  peakSecond: number | null;
  throttledSeconds: number | null;
  /** Attempts of the period simulated in aggregate (0: every statistic is exact). */
  aggregatedAttempts: number;
}

const SUM: Record<LensMetric, CloudWatchField> = {
  IncomingRecords: 'incomingRecords',
  IncomingBytes: 'incomingBytes',
  WriteProvisionedThroughputExceeded: 'throttledRecords',
};
const MIN: Record<LensMetric, CloudWatchField> = {
  IncomingRecords: 'minRecords',
  IncomingBytes: 'minBytes',
  WriteProvisionedThroughputExceeded: 'minThrottled',
};
const MAX: Record<LensMetric, CloudWatchField> = {
  IncomingRecords: 'maxRecords',
  IncomingBytes: 'maxBytes',
  WriteProvisionedThroughputExceeded: 'maxThrottled',
};

/**
 * The periods of `series` for one row (0: the stream; r: the shard at `cloudWatch.shardPositions[r - 1]`)
 * that start at or after `fromMs`, oldest first. Statistics as CloudWatch defines them (see
 * engine/cloudWatchMetrics.ts): Average = Sum ÷ SampleCount, Minimum and Maximum = the fewest and the most in
 * a single put operation.
 */
export function lensRows(
  cloudWatch: CloudWatchSnapshot,
  series: CloudWatchPeriodSeries,
  row: number,
  metric: LensMetric,
  fromMs: number,
): LensPeriodRow[] {
  const fields = cloudWatch.fields;
  const periods = series.periods;
  const value = (field: CloudWatchField, p: number) =>
    series.data[(row * fields.length + fields.indexOf(field)) * periods + p] ?? 0;
  const seconds = series.periodMinutes * 60;
  const rows: LensPeriodRow[] = [];
  for (let p = 0; p < periods; p++) {
    const startMs = (series.firstMinute + p * series.periodMinutes) * 60_000;
    if (startMs + seconds * 1000 <= fromMs) continue;
    const operations = value('putOperations', p);
    const aggregated = value('aggregatedAttempts', p);
    const exact = aggregated === 0;
    const sum = value(SUM[metric], p);
    rows.push({
      startMs,
      hasData: operations > 0 || aggregated > 0,
      sum,
      sampleCount: exact ? operations : null,
      average: exact && operations > 0 ? sum / operations : null,
      minimum: exact && operations > 0 ? value(MIN[metric], p) : null,
      maximum: exact && operations > 0 ? value(MAX[metric], p) : null,
      rate: sum / seconds,
      peakSecond: exact
        ? value(metric === 'IncomingBytes' ? 'peakSecondBytes' : 'peakSecondRecords', p)
        : null,
      throttledSeconds: exact ? value('throttledSeconds', p) : null,
      aggregatedAttempts: aggregated,
    });
  }
  return rows;
}

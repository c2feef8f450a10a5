import { describe, expect, it } from 'vitest';
import { CLOUDWATCH_FIELDS, type CloudWatchField } from '../../engine/cloudWatchMetrics';
import type { CloudWatchPeriodSeries, CloudWatchSnapshot } from '../../worker/engineTypes';
import { lensRows } from './cloudWatchData';

/** A snapshot's CloudWatch block with 2 rows (stream, one shard) and 3 one-minute periods from minute 100. */
function snapshotWith(values: Partial<Record<CloudWatchField, number[]>>[]): {
  cw: CloudWatchSnapshot;
  series: CloudWatchPeriodSeries;
} {
  const periods = 3;
  const fields = CLOUDWATCH_FIELDS.length;
  const data = new Float64Array(values.length * fields * periods);
  values.forEach((row, r) => {
    for (const [field, list] of Object.entries(row))
      list?.forEach((v, p) => {
        data[(r * fields + CLOUDWATCH_FIELDS.indexOf(field as CloudWatchField)) * periods + p] = v;
      });
  });
  const series = { periodMinutes: 1, periods, firstMinute: 100, data };
  return {
    cw: {
      fields: CLOUDWATCH_FIELDS,
      shardPositions: Int32Array.from([0]),
      oneMinute: series,
      fiveMinutes: series,
    },
    series,
  };
}

describe('lensRows', () => {
  const shard = {
    incomingRecords: [0, 24_000, 6_000],
    putOperations: [0, 600, 100],
    maxRecords: [0, 300, 60],
    minRecords: [0, 2, 60],
    throttledRecords: [0, 5_000, 0],
    minThrottled: [0, 1, 0],
    maxThrottled: [0, 40, 0],
    peakSecondRecords: [0, 3_000, 100],
    throttledSeconds: [0, 3, 0],
    aggregatedAttempts: [0, 0, 6_000],
  };
  const { cw, series } = snapshotWith([shard, shard]);

  it('computes CloudWatch statistics as AWS defines them: Average = Sum ÷ SampleCount, Maximum per put operation', () => {
    const rows = lensRows(cw, series, 1, 'IncomingRecords', 0);
    expect(rows.map((r) => r.startMs)).toEqual([100, 101, 102].map((m) => m * 60_000));
    const [idle, busy] = rows;
    expect(idle?.hasData).toBe(false);
    expect(busy).toMatchObject({
      hasData: true,
      sum: 24_000,
      sampleCount: 600,
      average: 40,
      minimum: 2,
      maximum: 300,
    });
    expect(busy?.rate).toBe(400); // Sum ÷ 60 s: derived
    expect(busy?.peakSecond).toBe(3_000);
    expect(busy?.throttledSeconds).toBe(3);
    const wpte = lensRows(cw, series, 1, 'WriteProvisionedThroughputExceeded', 0)[1];
    // A Minimum above 0: every put operation of the period had records throttled.
    expect(wpte).toMatchObject({ sum: 5_000, sampleCount: 600, minimum: 1, maximum: 40 });
  });

  it('says "not known" (null) for per-operation statistics and the busiest second of aggregate periods', () => {
    const aggregate = lensRows(cw, series, 1, 'IncomingRecords', 0)[2];
    expect(aggregate).toMatchObject({ hasData: true, sum: 6_000, rate: 100 });
    expect(aggregate?.sampleCount).toBeNull();
    expect(aggregate?.average).toBeNull();
    expect(aggregate?.minimum).toBeNull();
    expect(aggregate?.maximum).toBeNull();
    expect(aggregate?.peakSecond).toBeNull();
  });

  it('gives the stream-level row its own per-second truth, and skips periods that ended before `fromMs`', () => {
    const rows = lensRows(cw, series, 0, 'IncomingRecords', 101 * 60_000);
    expect(rows.map((r) => r.startMs)).toEqual([101, 102].map((m) => m * 60_000));
    expect(rows[0]?.peakSecond).toBe(3_000);
    expect(rows[0]?.throttledSeconds).toBe(3);
    expect(rows[0]?.average).toBe(40);
    // Not known where the period was simulated in aggregate.
    expect(rows[1]?.peakSecond).toBeNull();
  });
});

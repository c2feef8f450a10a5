import { create } from 'zustand';

/** The metrics the lens shows, by CloudWatch's names (namespace AWS/Kinesis). */
export type LensMetric = 'IncomingRecords' | 'IncomingBytes' | 'WriteProvisionedThroughputExceeded';
/**
 * The statistic drawn: CloudWatch's Sum, SampleCount, Average and Maximum, or `rate`, the Sum divided by the
 * period's seconds — not a CloudWatch statistic, but what people compare with the per-second limit
 * (repost.aws knowledge-center kinesis-data-stream-throttling: "divide it by 60").
 */
export type LensStatistic = 'rate' | 'Sum' | 'SampleCount' | 'Average' | 'Minimum' | 'Maximum';
/** Period length, minutes: Kinesis sends metrics every minute; 5 minutes is CloudWatch's usual graph period. */
export type LensPeriod = 1 | 5;
/** Whose metrics: the stream's (basic, stream-level) or a shard's (enhanced, shard-level) by ShardId. */
export const STREAM_LEVEL = 'stream';

interface LensState {
  /** Whether the throughput and throttling charts show CloudWatch's view next to the per-second truth. */
  on: boolean;
  period: LensPeriod;
  statistic: LensStatistic;
  /** STREAM_LEVEL, a ShardId, or '' for the busiest shard carried. */
  dimension: string;
  setOn(on: boolean): void;
  setPeriod(period: LensPeriod): void;
  setStatistic(statistic: LensStatistic): void;
  setDimension(dimension: string): void;
}

/** The CloudWatch lens is page state (how to look), not simulation state: it lives here, like presenter mode. */
export const useCloudWatchLens = create<LensState>()((set) => ({
  on: false,
  period: 1,
  statistic: 'rate',
  dimension: '',
  setOn: (on) => set({ on }),
  setPeriod: (period) => set({ period }),
  setStatistic: (statistic) => set({ statistic }),
  setDimension: (dimension) => set({ dimension }),
}));

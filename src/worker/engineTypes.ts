// Types only: the UI side may name engine types, but never runs engine code (it lives in the worker).

export type { CloudWatchField } from '../engine/cloudWatchMetrics';
export type { KeyRate, ShardDiagnosis } from '../engine/diagnosis';
export type { FaultError, FaultSpec, FaultStatus } from '../engine/faults';
export type { KeyInspection } from '../engine/inspect';
export type { ThrottleModel as ThrottleModelName } from '../engine/limits';
export type { KeyDistribution } from '../engine/producers/keyDistribution';
export type { ProducerSpec, ProducerTotals, RetryTotals } from '../engine/producers/producerSet';
export type { JitterKind, RetryPolicy } from '../engine/producers/retryPolicy';
export type {
  CloudWatchPeriodSeries,
  CloudWatchSnapshot,
  HotKeyInfo,
  LineageShard,
  PendingReshardInfo,
  ShardInfo,
  ShardSeries,
  StreamSnapshot,
} from '../engine/snapshot';

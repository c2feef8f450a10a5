// Types only: the UI side may name engine types, but never runs engine code (it lives in the worker).

export type { ThrottleModel as ThrottleModelName } from '../engine/limits';
export type { HotKeyInfo, ShardInfo, ShardSeries, StreamSnapshot } from '../engine/snapshot';

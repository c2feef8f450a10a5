// @vitest-environment node
// The preset "Throttled while CloudWatch says 40 %" must teach what its name says, with numbers the
// simulation produces: record by record at 1× (100 ms ticks), every completed minute's CloudWatch
// IncomingRecords Sum ÷ 60 s is about 40 % of the shard's 1,000 records/s, while seconds of it throttle.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/index';
import { SHARD_WRITE_RECORDS_PER_SECOND } from '../engine/limits';
import { ProducerSet } from '../engine/producers/producerSet';
import { PRESETS } from './presets';

describe('preset: Throttled while CloudWatch says 40 %', () => {
  it('1-minute IncomingRecords Sum ÷ 60 ≈ 40 % of the limit, WriteProvisionedThroughputExceeded > 0, a second over the limit', () => {
    const preset = PRESETS.find((p) => p.id === 'cloudwatch-40-percent');
    if (!preset) throw new Error('no preset');
    expect(preset.stream.shardCount).toBe(1);
    const engine = createEngine({ seed: preset.seed, throttle: preset.stream.throttle, transitionMs: 0 });
    engine.call('CreateStream', { StreamName: 's', ShardCount: preset.stream.shardCount });
    const stream = engine.core.stream('s');
    if (!stream) throw new Error('no stream');
    const producers = new ProducerSet(engine.core, stream);
    for (const p of preset.producers) producers.add(p.spec, p.running);
    for (let t = 0; t < 5 * 60_000; t += 100) producers.advance(100);
    const ring = stream.shards[0]?.metrics.periods.oneMinute;
    if (!ring) throw new Error('no shard');
    const now = Math.floor(engine.now() / 60_000);
    for (let minute = now - 5; minute < now; minute++) {
      const perSecond = ring.valueAt('incomingRecords', minute) / 60;
      expect(perSecond / SHARD_WRITE_RECORDS_PER_SECOND).toBeGreaterThan(0.37);
      expect(perSecond / SHARD_WRITE_RECORDS_PER_SECOND).toBeLessThan(0.43);
      expect(ring.valueAt('throttledRecords', minute)).toBeGreaterThan(0);
      expect(ring.valueAt('peakSecondRecords', minute)).toBeGreaterThan(SHARD_WRITE_RECORDS_PER_SECOND);
      expect(ring.valueAt('throttledSeconds', minute)).toBeGreaterThanOrEqual(2);
      expect(ring.valueAt('throttledSeconds', minute)).toBeLessThanOrEqual(5);
      expect(ring.valueAt('aggregatedAttempts', minute)).toBe(0);
    }
  });
});

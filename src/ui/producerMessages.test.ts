import { describe, expect, it } from 'vitest';
import { burstText, nextProducerName } from './ProducersPanel';

describe('producer messages', () => {
  it('picks the first producer-N no producer has', () => {
    expect(nextProducerName(new Set())).toBe('producer-1');
    expect(nextProducerName(new Set(['producer-1', 'producer-2', 'orders']))).toBe('producer-3');
    expect(nextProducerName(new Set(['producer-2']))).toBe('producer-1');
  });

  it('says what a burst sent, and that a paused clock sends it at the current instant', () => {
    const spec = {
      name: 'producer-2',
      api: 'PutRecords' as const,
      batchSize: 500,
      payloadBytes: { min: 100, max: 100 },
      rate: 'burst' as const,
      recordCount: 5000,
      distribution: { kind: 'hotKey' as const, hotKey: 'celebrity', hotPercent: 50, keyCount: 1000 },
    };
    const nowMs = Date.UTC(2026, 0, 1, 0, 0, 5);
    expect(burstText(spec, { nowMs, playing: true })).toBe(
      'Burst of 5,000 records (10 PutRecords requests of up to 500, keys: "celebrity" 50 %, the rest uniform over 1,000 keys) sent by producer-2 at once, at the virtual instant 2026-01-01 00:00:05.000 UTC.',
    );
    expect(burstText({ ...spec, api: 'PutRecord' }, { nowMs, playing: false })).toBe(
      'Burst of 5,000 records (5,000 PutRecord requests, keys: "celebrity" 50 %, the rest uniform over 1,000 keys) queued by producer-2: the clock is paused, so it is sent at the current instant, 2026-01-01 00:00:05.000 UTC, when you press Play or Step.',
    );
  });
});

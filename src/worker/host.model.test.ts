// @vitest-environment node
// Model-based test of the host as the UI drives it: random sequences of the commands a person can give
// (play, pause, speed, step, +1 h/+24 h, cancel, producers added, edited, stopped, started and removed,
// records put by hand, presets loaded) must keep every record accounted for exactly once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProducerSpec } from '../engine/producers/producerSet';
import { PRESETS } from '../scenario/presets';
import type { Scenario } from '../scenario/schema';
import { SimulationHost } from './host';
import type { Command, SimulationSnapshot, Speed } from './protocol';

/** A wall clock that moves 30 ms whenever the host looks at it, so jumps and ticks hit their budgets. */
function steppingClock() {
  let now = 0;
  return () => {
    now += 30;
    return now;
  };
}

interface Model {
  host: SimulationHost;
  /**
   * Per producer id: its records and running time when its current rate began (added, edited, restarted),
   * so what it owes since then is that rate × the running time since.
   */
  base: Map<number, { generated: number; runningMs: number }>;
  /** Totals of removed producers and of records put by hand, since the current scenario was loaded. */
  removed: { accepted: number; throttled: number; rejected: number };
  manual: { accepted: number; throttled: number; rejected: number };
  lastResult: { ok: boolean; output?: Record<string, unknown>; errorType?: string } | undefined;
}

const specArb: fc.Arbitrary<ProducerSpec> = fc.record({
  name: fc.constantFrom('a', 'b', 'c'),
  api: fc.constantFrom('PutRecord' as const, 'PutRecords' as const),
  batchSize: fc.constantFrom(1, 50, 500),
  payloadBytes: fc.constantFrom(
    { min: 100, max: 100 },
    { min: 1, max: 3000 },
    { min: 100_000, max: 102_400 },
  ),
  rate: fc.constantFrom(5, 900, 2500, 40_000) as fc.Arbitrary<number | 'burst'>,
  distribution: fc.constantFrom(
    { kind: 'uniform' as const, keyCount: 50 },
    { kind: 'hotKey' as const, hotKey: 'celebrity', hotPercent: 60, keyCount: 100 },
    { kind: 'timestamp' as const },
    { kind: 'sequential' as const },
    { kind: 'explicitHashKeys' as const, partitionKey: 'device-1' },
  ),
});

type Action =
  | { kind: 'tick'; wallMs: number }
  | { kind: 'command'; command: Command }
  | { kind: 'addProducer'; spec: ProducerSpec; start: boolean }
  | { kind: 'updateProducer'; pick: number; spec: ProducerSpec }
  | { kind: 'setRunning'; pick: number; running: boolean }
  | { kind: 'remove'; pick: number }
  | { kind: 'burst'; count: number }
  | { kind: 'put'; key: string; bytes: number }
  | { kind: 'preset'; index: number }
  /** A real client's PutRecords through the endpoint's wire form (the stream on screen). */
  | { kind: 'client'; entries: number; key: string; bytes: number }
  | { kind: 'reshard'; how: 'split' | 'merge' | 'count' | 'mode' | 'auto'; pick: number; factor: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      wallMs: fc.constantFrom(16, 100, 250, 1000, 83.37, 116.6),
    }),
  },
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        fc.constant<Command>({ type: 'play' }),
        fc.constant<Command>({ type: 'pause' }),
        fc.constant<Command>({ type: 'togglePlay' }),
        fc.constantFrom<Speed>(1, 10, 60, 600, 3600).map<Command>((speed) => ({ type: 'setSpeed', speed })),
        fc.constantFrom(10, 1000, 2500, 2.5).map<Command>((ms) => ({ type: 'step', ms })),
        fc.constantFrom(3_600_000, 86_400_000, 600_000).map<Command>((ms) => ({ type: 'jump', ms })),
        fc.constant<Command>({ type: 'cancelJump' }),
      )
      .map((command) => ({ kind: 'command' as const, command })),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('addProducer' as const), spec: specArb, start: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('updateProducer' as const), pick: fc.nat(5), spec: specArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('setRunning' as const),
      pick: fc.nat(5),
      running: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(5) }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('burst' as const), count: fc.constantFrom(10, 5000, 150_000) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('put' as const),
      key: fc.constantFrom('a', 'celebrity', '', 'x'.repeat(300)),
      bytes: fc.constantFrom(1, 2000),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('preset' as const), index: fc.nat(PRESETS.length - 1) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('client' as const),
      entries: fc.constantFrom(1, 50, 500, 501),
      key: fc.constantFrom('celebrity', 'user-1', ''),
      bytes: fc.constantFrom(1, 2000),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reshard' as const),
      how: fc.constantFrom(
        'split' as const,
        'merge' as const,
        'count' as const,
        'mode' as const,
        'auto' as const,
      ),
      pick: fc.nat(8),
      factor: fc.constantFrom(0.5, 1.5, 2),
    }),
  },
);

const zero = () => ({ accepted: 0, throttled: 0, rejected: 0 });

function apply(model: Model, action: Action): void {
  const { host } = model;
  const producers = host.snapshot().producers;
  const pickId = (pick: number) => producers[pick % Math.max(1, producers.length)]?.id ?? 999;
  switch (action.kind) {
    case 'tick':
      host.tick(action.wallMs);
      return;
    case 'command':
      host.handle(action.command);
      return;
    case 'addProducer': {
      host.handle({ type: 'addProducer', requestId: 1, spec: action.spec, start: action.start });
      const id = model.lastResult?.output?.id;
      if (typeof id === 'number') markBase(model, id);
      return;
    }
    case 'burst': {
      const spec: ProducerSpec = {
        name: 'burst',
        api: 'PutRecords',
        batchSize: 500,
        payloadBytes: { min: 10, max: 10 },
        rate: 'burst',
        recordCount: action.count,
        distribution: { kind: 'uniform', keyCount: 20 },
      };
      host.handle({ type: 'addProducer', requestId: 1, spec, start: true });
      return;
    }
    case 'updateProducer': {
      const id = pickId(action.pick);
      host.handle({ type: 'updateProducer', requestId: 1, id, spec: action.spec });
      if (model.lastResult?.ok) markBase(model, id);
      return;
    }
    case 'setRunning': {
      const id = pickId(action.pick);
      const was = producers.find((p) => p.id === id)?.running;
      host.handle({ type: 'setProducerRunning', id, running: action.running });
      if (was === false && action.running) markBase(model, id);
      return;
    }
    case 'remove': {
      const id = pickId(action.pick);
      const gone = producers.find((p) => p.id === id);
      host.handle({ type: 'removeProducer', id });
      if (gone) {
        model.removed.accepted += gone.accepted;
        model.removed.throttled += gone.throttled;
        model.removed.rejected += gone.rejected;
      }
      return;
    }
    case 'put': {
      host.handle({
        type: 'putRecord',
        requestId: 2,
        record: { partitionKey: action.key, data: 'x'.repeat(action.bytes) },
      });
      const r = model.lastResult;
      if (r?.ok) model.manual.accepted++;
      else if (r?.errorType === 'ProvisionedThroughputExceededException') model.manual.throttled++;
      else model.manual.rejected++;
      return;
    }
    case 'client': {
      const StreamName = host.snapshot().scenario.stream.streamName;
      const Data = Buffer.from('x'.repeat(action.bytes)).toString('base64');
      const Records = Array.from({ length: action.entries }, () => ({ PartitionKey: action.key, Data }));
      const answer = host.dispatchWire(
        'Kinesis_20131202.PutRecords',
        JSON.stringify({ StreamName, Records }),
      );
      if (answer.status !== 200) {
        model.manual.rejected += action.entries;
        return;
      }
      const out = JSON.parse(answer.body) as { Records: { ErrorCode?: string }[] };
      for (const entry of out.Records) {
        if (!entry.ErrorCode) model.manual.accepted++;
        else if (entry.ErrorCode === 'ProvisionedThroughputExceededException') model.manual.throttled++;
        else model.manual.rejected++;
      }
      return;
    }
    case 'reshard': {
      const open = host.snapshot().stream?.shards.filter((s) => s.isOpen) ?? [];
      const shard = open[action.pick % Math.max(1, open.length)];
      if (!shard) return;
      if (action.how === 'split') {
        const middle = (BigInt(shard.startingHashKey) + BigInt(shard.endingHashKey)) / 2n;
        host.handle({
          type: 'splitShard',
          requestId: 4,
          shardId: shard.shardId,
          newStartingHashKey: middle.toString(),
        });
      } else if (action.how === 'merge') {
        const next = open.find((s) => BigInt(s.startingHashKey) === BigInt(shard.endingHashKey) + 1n);
        if (next)
          host.handle({
            type: 'mergeShards',
            requestId: 4,
            shardId: shard.shardId,
            adjacentShardId: next.shardId,
          });
      } else if (action.how === 'mode') {
        const mode = host.snapshot().stream?.mode === 'ON_DEMAND' ? 'PROVISIONED' : 'ON_DEMAND';
        host.handle({ type: 'updateStreamMode', requestId: 4, mode });
      } else if (action.how === 'auto') {
        const strategy =
          host.snapshot().stream?.recordDistribution === 'AUTO' ? 'USER_PARTITION_KEY' : 'AUTO';
        host.handle({ type: 'updateRecordDistribution', requestId: 4, strategy });
      } else {
        host.handle({
          type: 'updateShardCount',
          requestId: 4,
          targetShardCount: Math.max(1, Math.round(open.length * action.factor)),
        });
      }
      return;
    }
    case 'preset': {
      const { id: _id, ...scenario } = PRESETS[action.index] as Scenario & { id: string };
      host.handle({ type: 'loadScenario', requestId: 3, scenario });
      if (model.lastResult?.ok) {
        model.removed = zero();
        model.manual = zero();
        model.base = new Map();
        for (const p of host.snapshot().producers) markBase(model, p.id);
      }
      return;
    }
  }
}

function markBase(model: Model, id: number): void {
  const p = model.host.snapshot().producers.find((q) => q.id === id);
  if (p) model.base.set(id, { generated: p.attempted + p.buffered, runningMs: p.runningMs });
}

const serialise = ({ version: _v, ...s }: SimulationSnapshot) =>
  JSON.stringify(s, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));

function checkInvariants(model: Model): void {
  const first = model.host.snapshot();
  // A snapshot is a pure read: taking it again changes nothing.
  expect(serialise(model.host.snapshot())).toBe(serialise(first));
  const stream = first.stream;
  if (!stream) throw new Error('no stream');
  let accepted = 0;
  let throttled = 0;
  let rejected = 0;
  for (const p of first.producers) {
    // Every record a producer generated was accepted, throttled or rejected, exactly once.
    expect(p.accepted + p.throttled + p.rejected).toBe(p.attempted);
    accepted += p.accepted;
    throttled += p.throttled;
    rejected += p.rejected;
    if (p.spec.rate === 'burst') {
      expect(p.attempted).toBeLessThanOrEqual(p.spec.recordCount ?? 0);
    } else {
      // Records generated = rate × virtual time running (since the rate was set), rounded down; all but
      // less than one PutRecords batch of them are sent.
      const base = model.base.get(p.id) ?? { generated: 0, runningMs: 0 };
      const ms = p.runningMs - base.runningMs;
      const generated = p.attempted + p.buffered - base.generated;
      // A shaped rate (a burst each cycle, rateShape.ts) owes its integral over each spell: between its
      // lowest and its highest rate × the time running.
      const shape = p.spec.rateShape;
      const high = shape ? Math.max(p.spec.rate, shape.burstRate) : p.spec.rate;
      const low = shape ? Math.min(p.spec.rate, shape.burstRate) : p.spec.rate;
      expect(generated).toBeLessThanOrEqual((high * ms) / 1000 + 1e-6);
      expect(generated).toBeGreaterThan((low * ms) / 1000 - 1 - 1e-6);
      expect(p.buffered).toBeLessThan(p.spec.api === 'PutRecords' ? p.spec.batchSize : 1);
      if (!p.running) expect(p.buffered).toBe(0);
    }
  }
  accepted += model.removed.accepted + model.manual.accepted;
  throttled += model.removed.throttled + model.manual.throttled;
  rejected += model.removed.rejected + model.manual.rejected;
  // The stream counted exactly what producers and hand-put records were told.
  expect(stream.totals).toEqual({ accepted, throttled, rejected });
  const perShard = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  // Per shard, while every shard the stream had is still listed (an expired closed shard takes its own
  // totals with it).
  if (stream.lineage.every((s) => s.state !== 'EXPIRED')) {
    expect(perShard(stream.accepted)).toBe(accepted);
    expect(perShard(stream.throttled)).toBe(throttled);
  }
}

describe('SimulationHost under random UI command sequences (model-based)', () => {
  it("conserves every record across play, pause, speed, step, jumps, edits, bursts, presets, resharding and real clients' wire calls", () => {
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 1, maxLength: 25 }), fc.nat(1000), (actions, seed) => {
        const model: Model = {
          host: undefined as unknown as SimulationHost,
          base: new Map(),
          removed: zero(),
          manual: zero(),
          lastResult: undefined,
        };
        model.host = new SimulationHost(
          (event) => {
            if (event.type === 'result') model.lastResult = event.result;
          },
          seed,
          steppingClock(),
        );
        for (const action of actions) {
          model.lastResult = undefined;
          apply(model, action);
          checkInvariants(model);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('refuses a command made for a replaced simulation, and changes nothing', () => {
    const events: unknown[] = [];
    const host = new SimulationHost(
      (e) => events.push(e),
      1,
      () => 0,
    );
    const { id: _id, ...scenario } = PRESETS[1] as Scenario & { id: string };
    host.handle({ type: 'loadScenario', requestId: 1, scenario });
    const old = host.snapshot();
    const producerId = old.producers[0]?.id as number;
    host.handle({ type: 'loadScenario', requestId: 2, scenario });
    const before = serialise(host.snapshot());
    host.handle({
      type: 'updateProducer',
      requestId: 3,
      id: producerId,
      spec: { ...(old.producers[0]?.spec as ProducerSpec), rate: 1 },
      generation: old.generation,
    });
    host.handle({ type: 'removeProducer', id: producerId, generation: old.generation });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'result',
        requestId: 3,
        result: expect.objectContaining({ ok: false, errorType: 'Stale command' }),
      }),
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'commandError', field: 'generation' }));
    // Producer ids are never reused: the new scenario's producer is another id.
    expect(host.snapshot().producers[0]?.id).not.toBe(producerId);
    expect(serialise(host.snapshot()).replace(/"version":\d+,?/g, '')).toBe(
      before.replace(/"version":\d+,?/g, ''),
    );
  });

  it('a jump runs in slices, shows its progress, and a cancel leaves a consistent state', () => {
    const host = new SimulationHost(() => {}, 1, steppingClock());
    const { id: _id, ...scenario } = PRESETS[1] as Scenario & { id: string };
    host.handle({
      type: 'loadScenario',
      requestId: 1,
      scenario: { ...scenario, stream: { ...scenario.stream, shardCount: 50 } },
    });
    host.handle({ type: 'jump', ms: 7 * 86_400_000 });
    const progress = host.status().jump;
    expect(progress).not.toBeNull();
    expect(progress?.nowMs).toBeLessThan(progress?.targetMs ?? 0);
    host.handle({ type: 'step', ms: 1000 }); // refused while jumping
    host.handle({ type: 'cancelJump' });
    for (let i = 0; i < 100 && host.status().jump; i++) host.tick(100);
    expect(host.status().jump).toBeNull();
    const p = host.snapshot().producers[0];
    if (!p) throw new Error('no producer');
    expect(p.accepted + p.throttled + p.rejected).toBe(p.attempted);
    expect(p.attempted + p.buffered).toBe(Math.floor(((p.spec.rate as number) * p.runningMs) / 1000));
  });
});

describe('jumps simulate the skipped time as play would', () => {
  const preset = (id: string) => {
    const { id: _id, ...scenario } = PRESETS.find((p) => p.id === id) as Scenario & { id: string };
    return scenario;
  };

  it('Uniform keys, played at 1× then +24 h: a day of traffic and nothing throttled', () => {
    const host = new SimulationHost(
      () => {},
      1,
      () => 0,
    );
    host.handle({ type: 'loadScenario', requestId: 1, scenario: preset('uniform') });
    // Fractional ticks leave the clock part-way through a second, with a PutRecords request half full.
    for (let i = 0; i < 15; i++) host.tick(99.7);
    host.handle({ type: 'pause' });
    host.handle({ type: 'jump', ms: 86_400_000 });
    host.handle({ type: 'step', ms: 1000 });
    const s = host.snapshot();
    const stream = s.stream;
    if (!stream) throw new Error('no stream');
    expect(Array.from(stream.throttled)).toEqual([0, 0, 0, 0]);
    const accepted = stream.accepted.reduce((a, b) => a + b, 0);
    // 3,200 records/s for a day and 2.5 s, less what the last PutRecords request still holds.
    expect(accepted).toBeGreaterThan(3200 * 86_402.4 - 500);
    expect(accepted).toBeLessThanOrEqual(3200 * 86_402.5);
    expect(s.diagnosis).toEqual([]);
  });

  it('UpdateShardCount 4 → 3, then +1 h before it settles: the new shards take the load unthrottled', () => {
    const host = new SimulationHost(
      () => {},
      3,
      () => 0,
    );
    host.handle({ type: 'loadScenario', requestId: 1, scenario: preset('update-shard-count-4-to-3') });
    // Played part-way into a second, so the jump's minute steps would straddle the end of UPDATING.
    for (let i = 0; i < 15; i++) host.tick(99.7);
    host.handle({ type: 'updateShardCount', requestId: 2, targetShardCount: 3 });
    for (let i = 0; i < 30; i++) host.tick(99.7);
    host.handle({ type: 'jump', ms: 3_600_000 });
    expect(host.status().jump).toBeNull();
    const stream = host.snapshot().stream;
    if (!stream) throw new Error('no stream');
    expect(stream.shards.filter((s) => s.isOpen).map((s) => s.shardId)).toEqual([
      'shardId-000000000006',
      'shardId-000000000009',
      'shardId-000000000010',
    ]);
    expect(Array.from(stream.throttled)).toEqual(stream.shards.map(() => 0));
    expect(stream.totals.throttled).toBe(0);
  });

  it('Celebrity hot key, played then +1 h: its shard takes its 1,000 records/s and throttles the rest, the others never', () => {
    const host = new SimulationHost(
      () => {},
      2,
      () => 0,
    );
    host.handle({ type: 'loadScenario', requestId: 1, scenario: preset('celebrity') });
    for (let i = 0; i < 100; i++) host.tick(100);
    const played = host.snapshot().stream;
    host.handle({ type: 'jump', ms: 3_600_000 });
    const jumped = host.snapshot().stream;
    if (!played || !jumped) throw new Error('no stream');
    expect(Array.from(jumped.throttled).slice(0, 3)).toEqual([0, 0, 0]);
    // During the hour shard 3 takes what its limit allows, 1,000 records/s, and throttles the rest
    // (1,200/s of celebrity plus its share of the other keys: about a third of its demand).
    const accepted = ((jumped.accepted[3] ?? 0) - (played.accepted[3] ?? 0)) / 3600;
    const throttled = ((jumped.throttled[3] ?? 0) - (played.throttled[3] ?? 0)) / 3600;
    expect(accepted).toBeGreaterThan(995);
    expect(accepted).toBeLessThanOrEqual(1001);
    expect(throttled / (accepted + throttled)).toBeGreaterThan(0.3);
    expect(throttled / (accepted + throttled)).toBeLessThan(0.36);
    expect(host.snapshot().diagnosis.map((d) => [d.shardId, d.verdict])).toEqual([
      ['shardId-000000000003', 'hot-key'],
    ]);
  });
});

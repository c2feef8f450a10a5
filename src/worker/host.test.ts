// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { SimulationHost } from './host';
import type { Command, CommandResult, SimulationSnapshot, WorkerEvent } from './protocol';
import { snapshotTransferables } from './protocol';

function hostWithEvents(seed?: number) {
  const events: WorkerEvent[] = [];
  const host = new SimulationHost((e) => events.push(e), seed);
  return { host, events };
}

// `version` counts the worker's messages (to order snapshots and status events), not simulation state.
const serialise = ({ version: _version, ...snapshot }: SimulationSnapshot) =>
  JSON.stringify(snapshot, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));

describe('SimulationHost', () => {
  it('announces itself and starts with an ACTIVE 4-shard stream', () => {
    const { host, events } = hostWithEvents();
    expect(events[0]).toMatchObject({ type: 'ready', protocol: 1 });
    const snapshot = host.snapshot();
    expect(snapshot.stream?.status).toBe('ACTIVE');
    expect(snapshot.stream?.shards.map((s) => s.shardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
  });

  it('advances virtual time by wall time × speed only while playing', () => {
    const { host } = hostWithEvents();
    const t0 = host.snapshot().nowMs;
    host.tick(100);
    expect(host.snapshot().nowMs).toBe(t0 + 100);
    host.handle({ type: 'setSpeed', speed: 3600 });
    host.tick(100);
    expect(host.snapshot().nowMs).toBe(t0 + 100 + 360_000);
    host.handle({ type: 'pause' });
    host.tick(100);
    expect(host.snapshot().nowMs).toBe(t0 + 100 + 360_000);
    host.handle({ type: 'jump', ms: 3_600_000 });
    expect(host.snapshot().nowMs).toBe(t0 + 100 + 360_000 + 3_600_000);
  });

  it('answers a typed PutRecord with the ShardId from the hash ranges', () => {
    const { host, events } = hostWithEvents();
    host.handle({ type: 'putRecord', requestId: 7, record: { partitionKey: 'b', data: 'x' } });
    const result = events.find((e) => e.type === 'result');
    expect(result).toMatchObject({
      requestId: 7,
      result: { ok: true, output: { ShardId: 'shardId-000000000002' } },
    });
    expect(host.snapshot().stream?.accepted[2]).toBe(1);
  });

  it('rejects malformed commands with an error naming the field and leaves the state unchanged', () => {
    const { host, events } = hostWithEvents();
    host.handle({ type: 'putRecord', requestId: 1, record: { partitionKey: 'a', data: 'x' } });
    const before = serialise(host.snapshot());
    const bad: unknown[] = [
      {
        type: 'createStream',
        requestId: 2,
        config: { streamName: 's', shardCount: 0, retentionHours: 24, throttle: 'token-bucket' },
      },
      {
        type: 'createStream',
        requestId: 3,
        config: { streamName: 's', shardCount: 2.5, retentionHours: 24, throttle: 'token-bucket' },
      },
      {
        type: 'createStream',
        requestId: 4,
        config: { streamName: 's', shardCount: 2, retentionHours: 24, throttle: 'nope' },
      },
      { type: 'setSpeed', speed: 7 },
      { type: 'jump', ms: -5 },
      { type: 'jump', ms: Number.NaN },
      { type: 'putRecord', requestId: 5, record: { partitionKey: 5, data: 'x' } },
      // A command the protocol no longer has (restarting from a seed is a scenario load) is unknown.
      { type: 'reset', seed: -1 },
      { type: 'explode' },
    ];
    for (const command of bad) host.handle(command as Command);
    const fields = events
      .map((e) =>
        e.type === 'commandError'
          ? e.field
          : e.type === 'result' && !e.result.ok
            ? e.result.field
            : undefined,
      )
      .filter((f) => f !== undefined);
    expect(fields).toEqual([
      'shardCount',
      'shardCount',
      'throttle',
      'speed',
      'ms',
      'ms',
      'partitionKey',
      'type',
      'type',
    ]);
    expect(serialise(host.snapshot())).toBe(before);
  });

  it('keeps the old stream when CreateStream fails in the engine, and shows its error', () => {
    const { host, events } = hostWithEvents();
    host.handle({
      type: 'createStream',
      requestId: 9,
      config: { streamName: 'bad name!', shardCount: 2, retentionHours: 24, throttle: 'token-bucket' },
    });
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      result: {
        ok: false,
        errorType: 'ValidationException',
        message: expect.stringContaining("at 'streamName'"),
      },
    });
    expect(host.snapshot().stream?.streamName).toBe('shardlab-demo');
  });

  it('changes retention through Increase/DecreaseStreamRetentionPeriod with AWS errors', () => {
    const { host, events } = hostWithEvents();
    host.handle({ type: 'setRetention', requestId: 1, retentionHours: 48 });
    expect(events.at(-1)).toMatchObject({ result: { ok: true, operation: 'IncreaseStreamRetentionPeriod' } });
    host.handle({ type: 'setRetention', requestId: 2, retentionHours: 12 });
    expect(events.at(-1)).toMatchObject({
      result: {
        ok: false,
        errorType: 'InvalidArgumentException',
        message:
          'Minimum allowed retention period is 24 hours. Requested retention period (12 hours) is too short.',
      },
    });
    expect(host.snapshot().stream?.retentionHours).toBe(48);
  });

  it('refuses a fractional TargetShardCount before the engine sees it; the stream stays ACTIVE', () => {
    const { host, events } = hostWithEvents();
    host.handle({ type: 'updateShardCount', requestId: 1, targetShardCount: 2.5 });
    expect(events.at(-1)).toEqual({
      type: 'commandError',
      field: 'targetShardCount',
      message: 'TargetShardCount must be a whole number of shards',
    });
    expect(host.snapshot().stream?.status).toBe('ACTIVE');
    host.handle({ type: 'updateShardCount', requestId: 2, targetShardCount: 2 });
    expect(events.at(-1)).toMatchObject({ result: { ok: true, output: { TargetShardCount: 2 } } });
  });

  it('is deterministic: same seed and commands give identical snapshots', () => {
    const run = () => {
      const { host } = hostWithEvents(7);
      for (let i = 0; i < 50; i++) {
        host.handle({
          type: 'putRecord',
          requestId: i,
          record: { partitionKey: `k${i % 7}`, data: 'payload' },
        });
        host.tick(37);
      }
      host.handle({ type: 'jump', ms: 25 * 3_600_000 });
      return serialise(host.snapshot());
    };
    expect(run()).toBe(run());
  });

  it('builds snapshots whose buffers survive structuredClone and can be transferred', () => {
    const { host } = hostWithEvents();
    host.handle({ type: 'putRecord', requestId: 1, record: { partitionKey: 'a', data: 'x' } });
    const snapshot = host.snapshot();
    const clone = structuredClone(snapshot, { transfer: snapshotTransferables(snapshot) });
    expect(clone.stream?.accepted[0]).toBe(1);
    expect(snapshot.stream?.accepted.length).toBe(0); // transferred, so detached here
  });
});

describe('SimulationHost scenarios, inspector and diagnosis', () => {
  const scenario = {
    version: 1 as const,
    name: 'hot',
    seed: 11,
    speed: 1 as const,
    stream: { streamName: 'lab', shardCount: 4, retentionHours: 24, throttle: 'token-bucket' as const },
    producers: [
      {
        running: true,
        spec: {
          name: 'timeline',
          api: 'PutRecords' as const,
          batchSize: 500,
          payloadBytes: { min: 200, max: 200 },
          rate: 2400,
          distribution: { kind: 'hotKey' as const, hotKey: 'celebrity', hotPercent: 50, keyCount: 500 },
        },
      },
    ],
  };

  it('loads the same scenario twice with identical results at the same virtual time', () => {
    const run = () => {
      const { host } = hostWithEvents(1);
      host.handle({ type: 'loadScenario', requestId: 1, scenario });
      for (let i = 0; i < 40; i++) host.tick(100);
      return serialise(host.snapshot());
    };
    const first = run();
    expect(first).toBe(run());
    expect(first).toContain('"streamName":"lab"');
  });

  it('reports its running scenario, which loads back', () => {
    const { host } = hostWithEvents(1);
    host.handle({ type: 'loadScenario', requestId: 1, scenario });
    expect(host.snapshot().scenario).toEqual(scenario);
  });

  it('refuses an invalid scenario and keeps the simulation', () => {
    const { host, events } = hostWithEvents(1);
    const before = serialise(host.snapshot());
    host.handle({ type: 'loadScenario', requestId: 2, scenario: { ...scenario, seed: -1 } });
    expect(events.at(-1)).toMatchObject({
      result: { ok: false, errorType: 'Invalid scenario', message: expect.stringContaining('seed') },
    });
    expect(serialise(host.snapshot())).toBe(before);
  });

  it('inspects a key through the engine', () => {
    const { host, events } = hostWithEvents(1);
    host.handle({ type: 'inspectKey', requestId: 3, partitionKey: 'ключ' });
    expect(events.at(-1)).toMatchObject({
      result: {
        ok: true,
        output: { hashKey: '259726384039714788407059515981389908711', shardId: 'shardId-000000000003' },
      },
    });
  });

  it('diagnoses the celebrity key as a hot key', () => {
    const { host } = hostWithEvents(1);
    host.handle({ type: 'loadScenario', requestId: 1, scenario });
    let diagnosis = host.snapshot().diagnosis;
    for (let i = 0; i < 60; i++) {
      host.tick(100);
      diagnosis = host.snapshot().diagnosis;
    }
    expect(diagnosis).toHaveLength(1);
    expect(diagnosis[0]).toMatchObject({ verdict: 'hot-key', topKey: { partitionKey: 'celebrity' } });
    expect(diagnosis[0]?.topKey?.recordsPerSecond).toBeGreaterThan(1100);
    expect(diagnosis[0]?.topKey?.recordsPerSecond).toBeLessThan(1300);
  });
});

describe('SimulationHost producer commands', () => {
  const spec = {
    name: 'p',
    api: 'PutRecords' as const,
    batchSize: 500,
    payloadBytes: { min: 10, max: 10 },
    rate: 100,
    distribution: { kind: 'uniform' as const, keyCount: 10 },
  };

  it('names the field of a malformed producer and changes nothing', () => {
    const { host, events } = hostWithEvents();
    const before = serialise(host.snapshot());
    const bad: [unknown, string][] = [
      [null, 'spec'],
      [{ ...spec, distribution: undefined }, 'distribution'],
      [
        { ...spec, distribution: { kind: 'uniform', keyCount: 10, prefix: 'x'.repeat(300) } },
        'distribution.prefix',
      ],
      [
        { ...spec, distribution: { kind: 'explicitHashKeys', partitionKey: '' } },
        'distribution.partitionKey',
      ],
      [{ ...spec, batchSize: 501 }, 'batchSize'],
    ];
    for (const [candidate, field] of bad) {
      host.handle({ type: 'addProducer', requestId: 1, spec: candidate as typeof spec, start: true });
      expect(events.at(-1)).toMatchObject({ type: 'result', result: { ok: false, field } });
    }
    expect(serialise(host.snapshot())).toBe(before);
  });

  it("refuses a KPL aggregation size out of range with this stream's own limit in the message", () => {
    const { host, events } = hostWithEvents();
    const before = serialise(host.snapshot());
    for (const aggregationMaxBytes of [0, -1, 99_999_999, 1_048_576]) {
      host.handle({
        type: 'addProducer',
        requestId: 1,
        spec: { ...spec, kpl: { aggregationMaxBytes, collection: true } },
        start: true,
      });
      expect(events.at(-1)).toMatchObject({
        type: 'result',
        result: { ok: false, field: 'aggregationMaxBytes' },
      });
      const last = events.at(-1);
      const message = last?.type === 'result' && !last.result.ok ? last.result.message : '';
      expect(message).toContain('from 64 to 1,048,575');
    }
    expect(serialise(host.snapshot())).toBe(before);
  });

  it("reports records too large for the stream with Kinesis's error, not as throttling", () => {
    const { host } = hostWithEvents();
    host.handle({
      type: 'addProducer',
      requestId: 1,
      spec: { ...spec, payloadBytes: { min: 1048576, max: 1048576 } },
      start: true,
    });
    for (let i = 0; i < 10; i++) host.tick(100);
    const snapshot = host.snapshot();
    // 100 records generated; all sent but those held for the next PutRecords request (< 100 ms of them).
    const [p] = snapshot.producers;
    expect(p).toMatchObject({ accepted: 0, throttled: 0 });
    expect((p?.attempted ?? 0) + (p?.buffered ?? 0)).toBe(100);
    expect(p?.rejected).toBe(p?.attempted);
    expect(p?.rejected).toBeGreaterThanOrEqual(90);
    expect(snapshot.recentErrors[0]).toMatchObject({
      errorType: 'InvalidArgumentException',
      count: p?.rejected,
    });
    expect(snapshot.recentErrors.some((e) => e.errorType === 'ProvisionedThroughputExceededException')).toBe(
      false,
    );
  });
});

describe('SimulationHost play/pause', () => {
  it('toggles play from its own state, whatever the UI last saw', () => {
    const { host } = hostWithEvents();
    host.handle({ type: 'togglePlay' });
    expect(host.snapshot().playing).toBe(false);
    host.handle({ type: 'togglePlay' });
    expect(host.snapshot().playing).toBe(true);
  });
});

describe('SimulationHost diagnosis of the timestamp-as-key mistake', () => {
  it("calls each second's key a hot key", () => {
    const { host } = hostWithEvents(1);
    host.handle({
      type: 'loadScenario',
      requestId: 1,
      scenario: {
        version: 1,
        seed: 4,
        speed: 1,
        stream: { streamName: 'ts', shardCount: 4, retentionHours: 24, throttle: 'token-bucket' },
        producers: [
          {
            running: true,
            spec: {
              name: 'events',
              api: 'PutRecords',
              batchSize: 500,
              payloadBytes: { min: 200, max: 200 },
              rate: 2500,
              distribution: { kind: 'timestamp' },
            },
          },
        ],
      },
    });
    const verdicts = new Set<string>();
    for (let i = 0; i < 80; i++) {
      host.tick(100);
      for (const d of host.snapshot().diagnosis) verdicts.add(d.verdict);
    }
    expect(verdicts.has('hot-key')).toBe(true);
  });
});

describe('producer names', () => {
  it('refuses a second producer with the same name, and changes nothing', () => {
    const results: CommandResult[] = [];
    const host = new SimulationHost((event) => {
      if (event.type === 'result') results.push(event.result);
    });
    const spec = {
      name: 'orders',
      api: 'PutRecord' as const,
      batchSize: 1,
      payloadBytes: { min: 10, max: 10 },
      rate: 10,
      distribution: { kind: 'uniform' as const, keyCount: 10 },
    };
    host.handle({ type: 'addProducer', requestId: 1, spec, start: true });
    host.handle({ type: 'addProducer', requestId: 2, spec, start: true });
    expect(results[1]).toEqual({
      ok: false,
      operation: 'AddProducer',
      errorType: 'Invalid producer',
      field: 'name',
      message: 'a producer named "orders" already exists',
    });
    expect(host.snapshot().producers).toHaveLength(1);
  });
});

describe('the error log with real clients', () => {
  it("counts a client's throttled records once, and logs nothing for streams not on screen", () => {
    const host = new SimulationHost(() => {});
    const records = Array.from({ length: 500 }, () => ({ PartitionKey: 'celebrity', Data: 'aGk=' }));
    let throttled = 0;
    for (let i = 0; i < 4; i++) {
      const answer = host.dispatchWire(
        'Kinesis_20131202.PutRecords',
        JSON.stringify({ StreamName: 'shardlab-demo', Records: records }),
      );
      throttled += (JSON.parse(answer.body) as { FailedRecordCount: number }).FailedRecordCount;
    }
    host.tick(100);
    expect(throttled).toBeGreaterThan(0);
    const logged = host
      .snapshot()
      .recentErrors.filter((e) => e.errorType === 'ProvisionedThroughputExceededException');
    expect(logged.reduce((n, e) => n + e.count, 0)).toBe(throttled);
    // Another stream's refusals are that stream's business, not the screen's (the screen is picked).
    host.handle({ type: 'viewStream', requestId: 1, streamName: 'shardlab-demo' });
    host.dispatchWire(
      'Kinesis_20131202.CreateStream',
      JSON.stringify({ StreamName: 'other', ShardCount: 1 }),
    );
    host.dispatchWire(
      'Kinesis_20131202.PutRecord',
      JSON.stringify({ StreamName: 'other', PartitionKey: '', Data: 'aGk=' }),
    );
    expect(host.snapshot().recentErrors.some((e) => e.errorType === 'ValidationException')).toBe(false);
  });
});

/** A LATEST iterator on shard 0 of `stream`, through the wire as a client gets one. */
function latestIterator(host: SimulationHost, stream: string): string {
  const answer = host.dispatchWire(
    'Kinesis_20131202.GetShardIterator',
    JSON.stringify({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }),
  );
  return (JSON.parse(answer.body) as { ShardIterator: string }).ShardIterator;
}

describe('the error log files GetRecords errors by the stream of their iterator', () => {
  it('lists a GetRecords refusal under its own stream, not under every stream', () => {
    const host = new SimulationHost(() => {});
    host.dispatchWire('Kinesis_20131202.CreateStream', JSON.stringify({ StreamName: 'b', ShardCount: 1 }));
    host.tick(1_000);
    host.handle({ type: 'viewStream', requestId: 1, streamName: 'shardlab-demo' });
    const iterator = latestIterator(host, 'b');
    // Six GetRecords in one instant: the sixth is refused (5 calls per second per shard).
    const statuses = Array.from(
      { length: 6 },
      () =>
        host.dispatchWire('Kinesis_20131202.GetRecords', JSON.stringify({ ShardIterator: iterator })).status,
    );
    expect(statuses.filter((s) => s === 400)).toHaveLength(1);
    const onScreen = () =>
      host.snapshot().recentErrors.filter((e) => e.errorType === 'ProvisionedThroughputExceededException');
    expect(onScreen()).toEqual([]);
    host.handle({ type: 'viewStream', requestId: 2, streamName: 'b' });
    expect(onScreen()).toMatchObject([
      {
        count: 1,
        message: 'Rate exceeded for shard shardId-000000000000 in stream b under account 000000000000.',
      },
    ]);
    // An iterator that is not one of this engine's names no stream: its error shows under any stream.
    host.dispatchWire(
      'Kinesis_20131202.GetRecords',
      JSON.stringify({ ShardIterator: 'bm90IGFuIGl0ZXJhdG9y' }),
    );
    expect(host.snapshot().recentErrors.some((e) => e.message === 'Invalid ShardIterator.')).toBe(true);
  });
});

describe('the error log per operation', () => {
  it("keeps a shard's throttled records and its throttled reads apart: the same Kinesis text, two operations", () => {
    const host = new SimulationHost(() => {});
    host.dispatchWire('Kinesis_20131202.CreateStream', JSON.stringify({ StreamName: 'b', ShardCount: 1 }));
    host.tick(1_000);
    host.handle({ type: 'viewStream', requestId: 1, streamName: 'b' });
    // 1,500 records in one instant on one shard: 500 throttled.
    for (let i = 0; i < 3; i++)
      host.dispatchWire(
        'Kinesis_20131202.PutRecords',
        JSON.stringify({
          StreamName: 'b',
          Records: Array.from({ length: 500 }, (_, k) => ({ PartitionKey: `k${k}`, Data: 'aGk=' })),
        }),
      );
    const iterator = latestIterator(host, 'b');
    // Seven GetRecords in one instant: two refused (5 calls per second per shard).
    for (let i = 0; i < 7; i++)
      host.dispatchWire('Kinesis_20131202.GetRecords', JSON.stringify({ ShardIterator: iterator }));
    host.tick(100);
    const text = 'Rate exceeded for shard shardId-000000000000 in stream b under account 000000000000.';
    const throttles = host
      .snapshot()
      .recentErrors.filter((e) => e.errorType === 'ProvisionedThroughputExceededException')
      .map(({ operation, message, count }) => ({ operation, message, count }))
      .sort((a, b) => a.operation.localeCompare(b.operation));
    expect(throttles).toEqual([
      { operation: 'GetRecords', message: text, count: 2 },
      { operation: 'PutRecord, PutRecords', message: text, count: 500 },
    ]);
  });
});

describe('the error log per stream', () => {
  it("lists the stream on screen's errors only, and keeps counting and dating every stream's while another is shown", () => {
    const host = new SimulationHost(() => {});
    const put = (stream: string) =>
      host.dispatchWire(
        'Kinesis_20131202.PutRecords',
        JSON.stringify({
          StreamName: stream,
          Records: Array.from({ length: 500 }, () => ({ PartitionKey: 'celebrity', Data: 'aGk=' })),
        }),
      );
    host.dispatchWire('Kinesis_20131202.CreateStream', JSON.stringify({ StreamName: 'b', ShardCount: 1 }));
    host.tick(1_000);
    host.handle({ type: 'viewStream', requestId: 1, streamName: 'shardlab-demo' });
    const logged = () =>
      host.snapshot().recentErrors.filter((e) => e.errorType === 'ProvisionedThroughputExceededException');
    for (let i = 0; i < 3; i++) put('b');
    host.tick(100);
    const lastThrottleMs = host.snapshot().nowMs;
    for (let i = 0; i < 3; i++) put('shardlab-demo');
    host.tick(100);
    // On screen: the demo stream's throttles only.
    expect(logged().every((e) => e.message.includes('shardlab-demo'))).toBe(true);
    // Time passes with the demo stream on screen; then b comes on screen: its count is all its throttled
    // records, dated when they were noted, not when it came on screen.
    host.tick(5_000);
    host.handle({ type: 'viewStream', requestId: 2, streamName: 'b' });
    const onB = logged();
    expect(onB.every((e) => e.message.includes('stream b '))).toBe(true);
    const throttledOnB = host.snapshot().stream?.totals.throttled ?? Number.NaN;
    expect(throttledOnB).toBeGreaterThan(0);
    expect(onB.reduce((n, e) => n + e.count, 0)).toBe(throttledOnB);
    expect(Math.max(...onB.map((e) => e.lastMs))).toBeLessThanOrEqual(lastThrottleMs + 100);
  });
});

describe('averages over the diagnosis window of a young stream', () => {
  it('are the rate over the seconds the stream existed, not diluted by seconds before it', () => {
    const host = new SimulationHost(() => {});
    host.handle({
      type: 'addProducer',
      requestId: 1,
      start: true,
      spec: {
        name: 'one-key',
        api: 'PutRecord',
        batchSize: 1,
        payloadBytes: { min: 10, max: 10 },
        rate: 1500,
        distribution: { kind: 'hotKey', hotKey: 'celebrity', hotPercent: 100, keyCount: 1 },
      },
    });
    // The stream is ACTIVE half a second after 00:00:00; three seconds later the window holds ~2.5 s of it.
    for (let i = 0; i < 3; i++) host.handle({ type: 'step', ms: 1000 });
    const [d] = host.snapshot().diagnosis;
    expect(d?.topKey?.partitionKey).toBe('celebrity');
    const average = d?.topKey?.recordsPerSecond ?? 0;
    // 1,500 records/s asked while the producer ran: the average says so (within one record per second).
    expect(average).toBeGreaterThan(1400);
    expect(average).toBeLessThanOrEqual(1501);
  });
});

describe('fault injection through the host', () => {
  const faultHost = () => {
    const events: WorkerEvent[] = [];
    const host = new SimulationHost(
      (e) => events.push(e),
      5,
      () => 0,
    );
    const results = () => events.flatMap((e) => (e.type === 'result' ? [e.result] : [])) as CommandResult[];
    return { host, results };
  };

  const put = (host: SimulationHost, key: string) =>
    host.dispatchWire(
      'Kinesis_20131202.PutRecord',
      JSON.stringify({ StreamName: 'shardlab-demo', PartitionKey: key, Data: 'aGk=' }),
    );
  const producer = {
    name: 'p',
    api: 'PutRecord' as const,
    batchSize: 1,
    payloadBytes: { min: 10, max: 10 },
    rate: 200,
    distribution: { kind: 'uniform' as const, keyCount: 1000 },
  };

  it('lists each call a throttling fault failed once, with the stream-level text, for clients and producers', () => {
    const { host } = faultHost();
    host.handle({ type: 'step', ms: 1000 });
    host.handle({
      type: 'setFaults',
      requestId: 1,
      faults: [
        {
          error: 'ProvisionedThroughputExceededException',
          sharePercent: 40,
          startInMs: 0,
          durationMs: 60_000,
        },
      ],
    });
    host.handle({ type: 'addProducer', requestId: 2, start: true, spec: producer });
    // 2,500 calls in one instant on one key's shard: real shard throttles as well.
    let injected = 0;
    let shardThrottled = 0;
    for (let i = 0; i < 2500; i++) {
      const answer = put(host, 'celebrity');
      if (answer.body.includes('Rate exceeded for stream')) injected++;
      else if (answer.body.includes('Rate exceeded for shard')) shardThrottled++;
    }
    host.handle({ type: 'step', ms: 2000 });
    expect(injected).toBeGreaterThan(100);
    expect(shardThrottled).toBeGreaterThan(0);
    const failedCalls = host.snapshot().faults.reduce((n, f) => n + f.failedCalls, 0);
    // The producer's calls failed too: more than the client's.
    expect(failedCalls).toBeGreaterThan(injected + 100);
    const errors = host.snapshot().recentErrors;
    const stream = errors.filter((e) => e.message.startsWith('Rate exceeded for stream'));
    expect(stream).toEqual([
      expect.objectContaining({
        errorType: 'ProvisionedThroughputExceededException',
        message: 'Rate exceeded for stream shardlab-demo under account 000000000000.',
        count: failedCalls,
      }),
    ]);
    // Real shard throttles are still counted once each, by the per-shard tally (clients' and producer's).
    const shards = errors.filter((e) => e.message.startsWith('Rate exceeded for shard'));
    const tally = host.snapshot().stream?.throttled.reduce((n, t) => n + t, 0);
    expect(shards.reduce((n, e) => n + e.count, 0)).toBe(tally);
  });

  it('lists InternalFailure once per failed call, the same entry (no message) for clients and producers', () => {
    const { host } = faultHost();
    host.handle({ type: 'step', ms: 1000 });
    host.handle({
      type: 'setFaults',
      requestId: 1,
      faults: [{ error: 'InternalFailure', sharePercent: 30, startInMs: 0, durationMs: 60_000 }],
    });
    host.handle({ type: 'addProducer', requestId: 2, start: true, spec: producer });
    host.handle({ type: 'step', ms: 1000 });
    let clientFailed = 0;
    for (let i = 0; i < 100; i++) if (put(host, `k${i}`).status === 500) clientFailed++;
    host.handle({ type: 'step', ms: 1000 });
    expect(clientFailed).toBeGreaterThan(10);
    const failedCalls = host.snapshot().faults.reduce((n, f) => n + f.failedCalls, 0);
    expect(failedCalls).toBeGreaterThan(clientFailed + 50);
    const internal = host.snapshot().recentErrors.filter((e) => e.errorType === 'InternalFailure');
    expect(internal).toEqual([expect.objectContaining({ message: '', count: failedCalls })]);
  });

  it('refuses a window starting past FAULT_MAX_START_MS from now, naming the start', () => {
    const { host, results } = faultHost();
    host.handle({
      type: 'setFaults',
      requestId: 1,
      faults: [{ error: 'InternalFailure', sharePercent: 30, startInMs: 1e15, durationMs: 60_000 }],
    });
    expect(results().at(-1)).toMatchObject({ ok: false, field: 'startMs' });
    expect(host.snapshot().faults).toEqual([]);
  });

  it('sets faults from now, shows them in snapshots and scenarios, and refuses a bad one changing nothing', () => {
    const { host, results } = faultHost();
    const now = host.snapshot().nowMs;
    host.handle({
      type: 'setFaults',
      requestId: 1,
      faults: [{ error: 'InternalFailure', sharePercent: 40, startInMs: 1000, durationMs: 5000 }],
    });
    expect(results().at(-1)).toMatchObject({ ok: true, operation: 'SetFaults' });
    expect(host.snapshot().faults).toEqual([
      {
        spec: { error: 'InternalFailure', sharePercent: 40, startMs: now + 1000, durationMs: 5000 },
        failedCalls: 0,
        failedRecords: 0,
      },
    ]);
    const scenarioFault = host.snapshot().scenario.faults?.[0];
    expect(scenarioFault?.durationMs).toBe(5000);
    host.handle({
      type: 'setFaults',
      requestId: 2,
      faults: [{ error: 'InternalFailure', sharePercent: 140, startInMs: 0, durationMs: 5000 }],
    });
    expect(results().at(-1)).toMatchObject({ ok: false, field: 'sharePercent' });
    expect(host.snapshot().faults).toHaveLength(1);
    host.handle({ type: 'setFaults', requestId: 3, faults: [] });
    expect(host.snapshot().faults).toEqual([]);
  });

  it('a scenario file carries producers’ retry policies and fault windows, and loads them again', () => {
    const { host, results } = faultHost();
    const scenario = {
      ...host.snapshot().scenario,
      producers: [
        {
          spec: {
            name: 'p',
            api: 'PutRecord' as const,
            batchSize: 1,
            payloadBytes: { min: 10, max: 10 },
            rate: 100,
            distribution: { kind: 'uniform' as const, keyCount: 10 },
            retry: { kind: 'sdkDefault' as const },
          },
          running: true,
        },
      ],
      faults: [
        {
          error: 'ProvisionedThroughputExceededException' as const,
          sharePercent: 50,
          startMs: 0,
          durationMs: 2000,
        },
      ],
    };
    host.handle({ type: 'loadScenario', requestId: 4, scenario });
    expect(results().at(-1)).toMatchObject({ ok: true });
    const again = host.snapshot().scenario;
    expect(again.faults).toEqual(scenario.faults);
    expect(again.producers[0]?.spec.retry).toEqual({ kind: 'sdkDefault' });
    host.handle({
      type: 'loadScenario',
      requestId: 5,
      scenario: { ...scenario, faults: scenario.faults.map((f) => ({ ...f, sharePercent: -1 })) },
    });
    expect(results().at(-1)).toMatchObject({ ok: false });
    expect(host.snapshot().scenario.faults).toEqual(scenario.faults);
  });
});

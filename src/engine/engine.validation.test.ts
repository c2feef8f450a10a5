// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, encodeBase64, formatSequenceNumber, parseSequenceNumber } from './index';
import { fail, ok } from './testHelpers';

const data = (n = 1) => new Uint8Array(n);
const MIB = 1024 * 1024;
const T = (op: string) => `Kinesis_20131202.${op}`;
const validation = (errors: string[]) =>
  `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`;
const HEAP = (n: number) => `java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]`;
const ENTRY = 'com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry@c965e310';

function engineWith(shards = 1, extra: Record<string, unknown> = {}): Engine {
  const engine = createEngine({ transitionMs: 0 });
  ok(engine.call('CreateStream', { StreamName: 's', ShardCount: shards, ...extra }));
  return engine;
}

describe('sequence numbers', () => {
  it('are 56 digits, strictly increasing per shard, and decode to shard, creation and arrival', () => {
    const engine = engineWith(3);
    const created = engine.now() / 1000;
    const last = new Map<string, bigint>();
    for (let i = 0; i < 300; i++) {
      if (i % 50 === 0) engine.advanceTime(1500);
      const out = ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: `k${i}`, Data: data() })) as {
        ShardId: string;
        SequenceNumber: string;
      };
      expect(out.SequenceNumber).toMatch(/^[1-9]\d{55}$/);
      const n = BigInt(out.SequenceNumber);
      const previous = last.get(out.ShardId);
      if (previous !== undefined) expect(n > previous).toBe(true);
      last.set(out.ShardId, n);
      const fields = parseSequenceNumber(out.SequenceNumber);
      expect(fields).toBeDefined();
      expect(`shardId-${String(fields?.shardIndex).padStart(12, '0')}`).toBe(out.ShardId);
      expect(fields?.shardCreatedSec).toBe(created);
      expect(fields?.arrivalSec).toBe(Math.floor(engine.now() / 1000));
    }
    expect(last.size).toBe(3);
  });

  it('PutRecords entries on one shard get increasing numbers in request order', () => {
    const engine = engineWith(1);
    const out = ok(
      engine.call('PutRecords', {
        StreamName: 's',
        Records: Array.from({ length: 50 }, (_, i) => ({ PartitionKey: `k${i}`, Data: data() })),
      }),
    ) as { Records: { SequenceNumber: string }[] };
    const numbers = out.Records.map((r) => BigInt(r.SequenceNumber));
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]! > numbers[i - 1]!).toBe(true);
  });

  it("consecutive shards' StartingSequenceNumber differ by 16^36 + 16", () => {
    const engine = engineWith(10);
    const shards = ok(engine.call('ListShards', { StreamName: 's' })).Shards as {
      SequenceNumberRange: { StartingSequenceNumber: string };
    }[];
    for (let i = 1; i < shards.length; i++) {
      const a = BigInt(shards[i - 1]!.SequenceNumberRange.StartingSequenceNumber);
      const b = BigInt(shards[i]!.SequenceNumberRange.StartingSequenceNumber);
      expect(b - a).toBe(22300745198530623141535718272648361505980432n);
      expect(22300745198530623141535718272648361505980432n).toBe(16n ** 36n + 16n);
    }
    const first = parseSequenceNumber(shards[0]!.SequenceNumberRange.StartingSequenceNumber);
    expect(first).toEqual({
      shardCreatedSec: engine.now() / 1000,
      shardIndex: 0,
      counter: 0n,
      arrivalSec: engine.now() / 1000,
      streamTag: engine.core.stream('s')?.sequenceTag,
    });
  });

  it('SequenceNumberForOrdering: garbage → ValidationException pattern', () => {
    const engine = engineWith();
    const e = fail(
      engine.call('PutRecord', {
        StreamName: 's',
        PartitionKey: 'a',
        Data: data(),
        SequenceNumberForOrdering: 'x1',
      }),
    );
    expect(e).toEqual({
      type: 'ValidationException',
      message: validation([
        "Value 'x1' at 'sequenceNumberForOrdering' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})",
      ]),
    });
  });

  it('SequenceNumberForOrdering: a future or unparsable number → InvalidArgumentException', () => {
    const engine = engineWith();
    const future = formatSequenceNumber({
      shardCreatedSec: engine.now() / 1000,
      shardIndex: 0,
      counter: 5n,
      arrivalSec: engine.now() / 1000 + 10,
    });
    for (const v of [future, '12345']) {
      const e = fail(
        engine.call('PutRecord', {
          StreamName: 's',
          PartitionKey: 'a',
          Data: data(),
          SequenceNumberForOrdering: v,
        }),
      );
      expect(e).toEqual({
        type: 'InvalidArgumentException',
        message: `ExclusiveMinimumSequenceNumber ${v} used in PutRecord on stream s under account 000000000000 is invalid.`,
      });
    }
  });

  it('SequenceNumberForOrdering is honoured: each record follows the one it names', () => {
    const engine = engineWith(4);
    let previous = '0';
    for (let i = 0; i < 20; i++) {
      const out = ok(
        engine.call('PutRecord', {
          StreamName: 's',
          PartitionKey: 'same-key',
          Data: data(),
          SequenceNumberForOrdering: previous,
        }),
      ) as { SequenceNumber: string };
      expect(BigInt(out.SequenceNumber) > BigInt(previous)).toBe(true);
      previous = out.SequenceNumber;
      engine.advanceTime(300);
    }
  });
});

describe('ValidationException texts [model §3]', () => {
  it('neither StreamName nor StreamARN', () => {
    const engine = engineWith();
    for (const op of ['DescribeStream', 'DescribeStreamSummary', 'DeleteStream'] as const) {
      expect(fail(engine.call(op, {}))).toEqual({
        type: 'ValidationException',
        message: validation([
          "Value null at 'streamName' failed to satisfy constraint: Member must not be null",
        ]),
      });
    }
    expect(fail(engine.call('PutRecord', { PartitionKey: 'a', Data: data() })).message).toBe(
      validation(["Value null at 'streamName' failed to satisfy constraint: Member must not be null"]),
    );
  });

  it('PutRecord with nothing: members in Kinesis order', () => {
    const engine = engineWith();
    expect(fail(engine.call('PutRecord', {})).message).toBe(
      validation([
        "Value null at 'partitionKey' failed to satisfy constraint: Member must not be null",
        "Value null at 'data' failed to satisfy constraint: Member must not be null",
        "Value null at 'streamName' failed to satisfy constraint: Member must not be null",
      ]),
    );
  });

  it('StreamName pattern and length; an empty one yields two errors', () => {
    const engine = createEngine({ transitionMs: 0 });
    expect(fail(engine.call('CreateStream', { StreamName: '', ShardCount: 1 })).message).toBe(
      validation([
        "Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ]),
    );
    const long = 'a'.repeat(129);
    expect(fail(engine.call('CreateStream', { StreamName: long, ShardCount: 1 })).message).toBe(
      validation([
        `Value '${long}' at 'streamName' failed to satisfy constraint: Member must have length less than or equal to 128`,
      ]),
    );
    expect(fail(engine.call('DescribeStream', { StreamName: 'bad name!' })).message).toBe(
      validation([
        "Value 'bad name!' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      ]),
    );
    ok(engine.call('CreateStream', { StreamName: 'a'.repeat(128), ShardCount: 1 }));
    ok(engine.call('CreateStream', { StreamName: 'A-z_0.9', ShardCount: 1 }));
  });

  it('partition key is 1–256 UTF-16 code units', () => {
    const engine = engineWith();
    ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'x'.repeat(256), Data: data() }));
    ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: '😀'.repeat(128), Data: data() }));
    const over = '😀'.repeat(129);
    expect(
      fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: over, Data: data() })).message,
    ).toBe(
      validation([
        `Value '${over}' at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256`,
      ]),
    );
    expect(fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: '', Data: data() })).message).toBe(
      validation([
        "Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ]),
    );
  });

  it('Data over 10 MiB → ValidationException with the blob rendered as a HeapByteBuffer', () => {
    const engine = engineWith();
    const big = data(10 * MIB + 1);
    expect(fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'a', Data: big }))).toEqual({
      type: 'ValidationException',
      message: validation([
        `Value '${HEAP(10 * MIB + 1)}' at 'data' failed to satisfy constraint: Member must have length less than or equal to 10485760`,
      ]),
    });
  });

  it('PutRecords: 0 and 501 entries; 1-based member paths; at most 10 errors', () => {
    const engine = engineWith();
    expect(fail(engine.call('PutRecords', { StreamName: 's', Records: [] })).message).toBe(
      validation([
        "Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ]),
    );
    const many = Array.from({ length: 501 }, () => ({ PartitionKey: 'a', Data: data() }));
    expect(fail(engine.call('PutRecords', { StreamName: 's', Records: many })).message).toBe(
      validation([
        `Value '[${Array(501).fill(ENTRY).join(', ')}]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500`,
      ]),
    );
    const bad = Array.from({ length: 12 }, () => ({ PartitionKey: '', Data: data(3) }));
    const e = fail(engine.call('PutRecords', { Records: bad }));
    const expected = Array.from(
      { length: 10 },
      (_, i) =>
        `Value '' at 'records.${i + 1}.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
    expect(e.message).toBe(`10 validation errors detected: ${expected.join('; ')}`);
    const mixed = fail(
      engine.call('PutRecords', {
        StreamName: 's',
        Records: [
          { PartitionKey: 'ok', Data: data() },
          { Data: data(2) },
          { PartitionKey: 'b', Data: data(10 * MIB + 2) },
        ],
      }),
    );
    expect(mixed.message).toBe(
      validation([
        "Value null at 'records.2.member.partitionKey' failed to satisfy constraint: Member must not be null",
        `Value '${HEAP(10 * MIB + 2)}' at 'records.3.member.data' failed to satisfy constraint: Member must have length less than or equal to 10485760`,
      ]),
    );
    expect(engine.core.counters).toEqual({ accepted: 0, throttled: 0, rejected: 0 + 501 + 12 + 3 });
  });

  it('enum, integer bounds and lists render as Coral does', () => {
    const engine = engineWith();
    expect(
      fail(
        engine.call('GetShardIterator', {
          StreamName: 's',
          ShardId: 'shardId-0',
          ShardIteratorType: 'NEWEST',
        }),
      ).message,
    ).toBe(
      validation([
        "Value 'NEWEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]",
      ]),
    );
    expect(fail(engine.call('CreateStream', { StreamName: 'x', ShardCount: 0 })).message).toBe(
      validation([
        "Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1",
      ]),
    );
  });
});

describe('record and request sizes', () => {
  it('data + key over the stream maximum (1 MiB default) → InvalidArgumentException naming both sizes', () => {
    const engine = engineWith();
    ok(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'a', Data: data(MIB - 1) }));
    const e = fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'ab', Data: data(MIB - 1) }));
    expect(e).toEqual({
      type: 'InvalidArgumentException',
      message:
        'Record size exceeds the maximum allowed size for the stream: data (1048575 bytes) plus partition key (2 bytes) is 1048577 bytes; the limit is 1048576 bytes (MaxRecordSizeInKiB 1024).',
    });
    // Key bytes are UTF-8: 'é' is one UTF-16 unit but two bytes.
    expect(
      fail(engine.call('PutRecord', { StreamName: 's', PartitionKey: 'é', Data: data(MIB - 1) })).type,
    ).toBe('InvalidArgumentException');
  });

  it('MaxRecordSizeInKiB raises the stream maximum; validation bounds 1024–10240', () => {
    const engine = engineWith(1, { MaxRecordSizeInKiB: 2048 });
    const within = engine.call('PutRecord', { StreamName: 's', PartitionKey: 'a', Data: data(2 * MIB - 1) });
    if (!within.ok) expect(within.error.type).not.toBe('InvalidArgumentException');
    const e = fail(
      engine.call('PutRecord', { StreamName: 's', PartitionKey: 'ab', Data: data(2 * MIB - 1) }),
    );
    expect(e.type).toBe('InvalidArgumentException');
    expect(e.message).toContain('the limit is 2097152 bytes (MaxRecordSizeInKiB 2048)');
    expect(
      fail(engine.call('CreateStream', { StreamName: 't', ShardCount: 1, MaxRecordSizeInKiB: 10241 }))
        .message,
    ).toBe(
      validation([
        "Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: Member must have value less than or equal to 10240",
      ]),
    );
  });

  it('PutRecords: one oversized record fails the whole request', () => {
    const engine = engineWith();
    const e = fail(
      engine.call('PutRecords', {
        StreamName: 's',
        Records: [
          { PartitionKey: 'a', Data: data(10) },
          { PartitionKey: 'ab', Data: data(MIB - 1) },
        ],
      }),
    );
    expect(e.type).toBe('InvalidArgumentException');
    expect(engine.core.stream('s')?.retainedRecords).toBe(0);
  });

  it('PutRecords total over 10 MiB (data + keys) → InvalidArgumentException', () => {
    const engine = engineWith();
    const records = Array.from({ length: 11 }, (_, i) => ({ PartitionKey: `k${i}`, Data: data(1_000_000) }));
    const total = 11 * 1_000_000 + 10 * 2 + 3; // keys k0…k9 and k10
    expect(fail(engine.call('PutRecords', { StreamName: 's', Records: records }))).toEqual({
      type: 'InvalidArgumentException',
      message: `Records size exceeds the maximum allowed request size: the request's data plus partition keys is ${total} bytes; the limit is 10485760 bytes.`,
    });
    expect(engine.core.counters.rejected).toBe(11);
  });
});

describe('stream addressing', () => {
  it("StreamARN works with the engine's ARN; another account or region → ResourceNotFound", () => {
    const engine = engineWith();
    const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/s';
    const summary = ok(engine.call('DescribeStreamSummary', { StreamARN: arn })).StreamDescriptionSummary as {
      StreamARN: string;
    };
    expect(summary.StreamARN).toBe(arn);
    expect(ok(engine.call('PutRecord', { StreamARN: arn, PartitionKey: 'a', Data: data() })).ShardId).toBe(
      'shardId-000000000000',
    );
    expect(
      fail(
        engine.call('PutRecord', {
          StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
          PartitionKey: 'a',
          Data: data(),
        }),
      ),
    ).toEqual({
      type: 'ResourceNotFoundException',
      message: 'Stream s under account 123456789012 not found.',
    });
    expect(fail(engine.call('DescribeStream', { StreamName: 'nope' }))).toEqual({
      type: 'ResourceNotFoundException',
      message: 'Stream nope under account 000000000000 not found.',
    });
    expect(fail(engine.call('DescribeStream', { StreamARN: 'not-an-arn' })).message).toBe(
      validation([
        "Value 'not-an-arn' at 'streamARN' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+",
      ]),
    );
  });
});

describe('wire layer (dispatch)', () => {
  const wire = (engine: Engine, op: string, body: unknown) =>
    engine.dispatch(T(op), typeof body === 'string' ? body : JSON.stringify(body));

  it('PutRecord round trip: base64 in, JSON out', () => {
    const engine = engineWith();
    const r = wire(engine, 'PutRecord', { StreamName: 's', PartitionKey: 'a', Data: encodeBase64(data(3)) });
    expect(r.status).toBe(200);
    expect(Object.keys(JSON.parse(r.body))).toEqual(['ShardId', 'SequenceNumber']);
    expect(wire(engine, 'DeleteStream', { StreamName: 's' })).toEqual({ status: 200, body: '' });
  });

  it('wrong JSON types → SerializationException with capital Message', () => {
    const engine = engineWith();
    expect(wire(engine, 'PutRecord', { StreamName: 5, PartitionKey: 'a', Data: 'AA==' })).toEqual({
      status: 400,
      body: '{"__type":"SerializationException","Message":"class java.math.BigDecimal can not be converted to an String"}',
    });
    expect(
      JSON.parse(wire(engine, 'PutRecord', { StreamName: true, PartitionKey: 'a', Data: 'AA==' }).body),
    ).toEqual({
      __type: 'SerializationException',
      Message: 'class java.lang.Boolean can not be converted to an String',
    });
    expect(JSON.parse(wire(engine, 'CreateStream', { StreamName: 'x', ShardCount: '1' }).body)).toEqual({
      __type: 'SerializationException',
      Message: 'class java.lang.String can not be converted to an Integer',
    });
    expect(JSON.parse(wire(engine, 'PutRecords', { StreamName: 's', Records: {} }).body)).toEqual({
      __type: 'SerializationException',
      Message: 'Start of structure or map found where not expected.',
    });
  });

  it('bad base64 → SerializationException with Coral text', () => {
    const engine = engineWith();
    expect(
      JSON.parse(wire(engine, 'PutRecord', { StreamName: 's', PartitionKey: 'a', Data: 'abc' }).body),
    ).toEqual({
      __type: 'SerializationException',
      Message:
        "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3",
    });
    expect(
      JSON.parse(wire(engine, 'PutRecord', { StreamName: 's', PartitionKey: 'a', Data: 'ab$d' }).body),
    ).toEqual({
      __type: 'SerializationException',
      Message: "'ab$d' can not be converted to a Blob: Invalid Base64 character: '$'",
    });
  });

  it('unknown target → UnknownOperationException; bad JSON → SerializationException without message', () => {
    const engine = engineWith();
    expect(engine.dispatch(T('PutRecordz'), '{}')).toEqual({
      status: 400,
      body: '{"__type":"UnknownOperationException"}',
    });
    expect(engine.dispatch('Kinesis_20131201.PutRecord', '{}').body).toBe(
      '{"__type":"UnknownOperationException"}',
    );
    expect(engine.dispatch(T('PutRecord'), '{"StreamName":')).toEqual({
      status: 400,
      body: '{"__type":"SerializationException"}',
    });
    expect(engine.dispatch(T('PutRecord'), '')).toEqual({
      status: 400,
      body: '{"__type":"SerializationException"}',
    });
  });

  it('ValidationException and other errors carry a lower-case message', () => {
    const engine = engineWith();
    expect(wire(engine, 'DescribeStream', {})).toEqual({
      status: 400,
      body: JSON.stringify({
        __type: 'ValidationException',
        message: validation([
          "Value null at 'streamName' failed to satisfy constraint: Member must not be null",
        ]),
      }),
    });
    expect(wire(engine, 'DescribeStream', { StreamName: 'x' }).body).toBe(
      '{"__type":"ResourceNotFoundException","message":"Stream x under account 000000000000 not found."}',
    );
  });
});

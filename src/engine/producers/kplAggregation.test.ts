// @vitest-environment node
import { createHash } from 'node:crypto';
import agg from 'aws-kinesis-agg';
import { describe, expect, it } from 'vitest';
import {
  decodeAggregatedRecord,
  encodeAggregatedRecord,
  frameAggregate,
  hasKplMagic,
  KPL_FIXED_OVERHEAD,
  KPL_MAGIC,
  recordEntrySize,
  tableEntrySize,
  type UserRecord,
  varintSize,
} from './kplAggregation';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const md5 = (bytes: Uint8Array) => new Uint8Array(createHash('md5').update(bytes).digest());

/**
 * An aggregated record built byte by byte from the published description (aggregation-format.md): magic,
 * then AggregatedRecord { partition_key_table: ["k", "j"], explicit_hash_key_table: ["123"],
 * records: [{pk 0, data 01 02}, {pk 1, ehk 0, data 03}] }, then the MD5 of the message.
 */
function handBuilt(): { bytes: Uint8Array; records: UserRecord[] } {
  const message = Uint8Array.from([
    0x0a,
    0x01,
    ...ascii('k'), // field 1 (partition_key_table), length 1
    0x0a,
    0x01,
    ...ascii('j'),
    0x12,
    0x03,
    ...ascii('123'), // field 2 (explicit_hash_key_table)
    0x1a,
    0x06,
    0x08,
    0x00,
    0x1a,
    0x02,
    0x01,
    0x02, // field 3 (Record): pk index 0, data 01 02
    0x1a,
    0x07,
    0x08,
    0x01,
    0x10,
    0x00,
    0x1a,
    0x01,
    0x03, // pk index 1, ehk index 0, data 03
  ]);
  const bytes = Uint8Array.from([0xf3, 0x89, 0x9a, 0xc2, ...message, ...md5(message)]);
  return {
    bytes,
    records: [
      { partitionKey: 'k', explicitHashKey: undefined, data: Uint8Array.of(1, 2) },
      { partitionKey: 'j', explicitHashKey: '123', data: Uint8Array.of(3) },
    ],
  };
}

describe('KPL aggregated record format', () => {
  it('decodes bytes built from the published description, and encodes the same records to those bytes', () => {
    const { bytes, records } = handBuilt();
    expect(decodeAggregatedRecord(bytes)).toEqual(records);
    expect([...encodeAggregatedRecord(records)]).toEqual([...bytes]);
  });

  it('opens with the magic F3 89 9A C2 and ends with the MD5 of the protobuf message', () => {
    const bytes = encodeAggregatedRecord([{ partitionKey: 'a', data: new Uint8Array(1000).fill(7) }]);
    expect([...bytes.subarray(0, 4)]).toEqual([0xf3, 0x89, 0x9a, 0xc2]);
    expect(KPL_MAGIC).toEqual([0xf3, 0x89, 0x9a, 0xc2]);
    const message = bytes.subarray(4, bytes.length - 16);
    expect([...bytes.subarray(bytes.length - 16)]).toEqual([...md5(message)]);
    expect(hasKplMagic(bytes)).toBe(true);
  });

  it('is not an aggregate without the magic, with a wrong MD5, or with an index outside its table', () => {
    const { bytes } = handBuilt();
    expect(decodeAggregatedRecord(Uint8Array.of(1, 2, 3))).toBe('no-magic');
    expect(decodeAggregatedRecord(new TextEncoder().encode('plain record data, not aggregated'))).toBe(
      'no-magic',
    );
    const badSum = bytes.slice();
    badSum[badSum.length - 1] = (badSum[badSum.length - 1] as number) ^ 0xff;
    expect(decodeAggregatedRecord(badSum)).toBe('md5-mismatch');
    // A record pointing at partition key 5 of a 1-entry table, with a correct MD5.
    const message = Uint8Array.from([0x0a, 0x01, 0x6b, 0x1a, 0x04, 0x08, 0x05, 0x1a, 0x00]);
    expect(decodeAggregatedRecord(frameAggregate(message))).toBe('malformed');
    // Data missing (a required field).
    expect(
      decodeAggregatedRecord(frameAggregate(Uint8Array.from([0x0a, 0x01, 0x6b, 0x1a, 0x02, 0x08, 0x00]))),
    ).toBe('malformed');
    // A message cut short.
    expect(decodeAggregatedRecord(frameAggregate(Uint8Array.from([0x0a, 0x05, 0x6b])))).toBe('malformed');
  });

  it('keeps one table entry per distinct key, in first-use order', () => {
    const records: UserRecord[] = ['x', 'y', 'x', 'z', 'y'].map((k, i) => ({
      partitionKey: k,
      explicitHashKey: i % 2 === 0 ? '42' : undefined,
      data: Uint8Array.of(i),
    }));
    const bytes = encodeAggregatedRecord(records);
    // x, y, z once each: 3 partition key entries of 3 bytes; "42" once: 4 bytes.
    const message = bytes.subarray(4, bytes.length - 16);
    expect([...message.subarray(0, 13)]).toEqual([
      0x0a,
      0x01,
      ...ascii('x'),
      0x0a,
      0x01,
      ...ascii('y'),
      0x0a,
      0x01,
      ...ascii('z'),
      0x12,
      0x02,
      ...ascii('42'),
    ]);
    expect(decodeAggregatedRecord(bytes)).toEqual(records);
  });

  it('computes sizes exactly, across varint boundaries', () => {
    expect([0, 1, 127, 128, 16383, 16384, 2 ** 21].map(varintSize)).toEqual([1, 1, 1, 2, 2, 3, 4]);
    for (const dataBytes of [0, 1, 120, 121, 122, 127, 128, 300, 16_380, 16_400]) {
      for (const keyCount of [1, 2, 130]) {
        const records: UserRecord[] = Array.from({ length: keyCount }, (_, i) => ({
          partitionKey: `key-${i}`,
          explicitHashKey: i === 0 ? undefined : String(i * 1000),
          data: new Uint8Array(dataBytes),
        }));
        let size = KPL_FIXED_OVERHEAD;
        records.forEach((r, i) => {
          size += tableEntrySize(r.partitionKey.length) + recordEntrySize(i, i === 0 ? -1 : i - 1, dataBytes);
          if (r.explicitHashKey) size += tableEntrySize(r.explicitHashKey.length);
        });
        expect(encodeAggregatedRecord(records).length).toBe(size);
      }
    }
  });

  it("is read by awslabs' own de-aggregator (aws-kinesis-agg), MD5 checked", () => {
    const records: UserRecord[] = Array.from({ length: 50 }, (_, i) => ({
      partitionKey: `user-${i % 7}`,
      data: new TextEncoder().encode(`payload ${i} `.repeat(i + 1)),
    }));
    const bytes = encodeAggregatedRecord(records);
    let out: { partitionKey: string; data: string }[] | undefined;
    agg.deaggregateSync(
      { partitionKey: 'a', data: Buffer.from(bytes).toString('base64') } as never,
      true,
      (err: Error | null, userRecords?: { partitionKey: string; data: string }[]) => {
        expect(err ?? null).toBeNull();
        out = userRecords;
      },
    );
    expect(out?.map((r) => r.partitionKey)).toEqual(records.map((r) => r.partitionKey));
    expect(out?.map((r) => Buffer.from(r.data, 'base64').toString())).toEqual(
      records.map((r) => new TextDecoder().decode(r.data)),
    );
  });

  it('refuses to encode no records', () => {
    expect(() => encodeAggregatedRecord([])).toThrow(RangeError);
  });
});

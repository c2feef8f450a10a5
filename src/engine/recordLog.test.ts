// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from './keyTable';
import { PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT } from './limits';
import { DetailBudget, PayloadSlabs, RecordLog } from './recordLog';

const MiB = 1024 * 1024;

/** `n` logs sharing one budget of `payloadLimit` payload bytes and `recordLimit` records held in detail. */
function logs(n: number, payloadLimit: number, recordLimit = Number.POSITIVE_INFINITY) {
  const keys = new KeyTable();
  const budget = new DetailBudget(recordLimit, payloadLimit);
  const all = Array.from({ length: n }, () => {
    const log = new RecordLog(keys);
    budget.join(log);
    return log;
  });
  return { keys, budget, logs: all, released: () => budget.releasedRecords };
}

/** Appends as the write path does: the record, then the budget's O(1) check of records held in detail. */
function write(budget: DetailBudget, log: RecordLog, nowMs: number, bytes: number, payload: boolean): void {
  log.appendDirect(nowMs, 'k', 1, bytes, payload ? new Uint8Array(bytes) : undefined);
  if (++budget.records > budget.recordLimit) budget.enforceRecords();
}

/**
 * Data bytes a log still lets readers see, as the data budget counts them: payloads, and the keys held with
 * their records (every key here is written as a client's is, not interned).
 */
function readablePayload(log: RecordLog): number {
  let bytes = 0;
  log.read(0, (r) => {
    bytes += (r.payload?.length ?? 0) + r.keyBytes;
    return true;
  });
  return bytes;
}

describe('RecordLog payload byte budget', () => {
  it('a 1-shard stream at 1 MiB/s for 10 virtual minutes holds at most the budget, in bytes and in memory', () => {
    const {
      budget,
      logs: [log],
      released,
    } = logs(1, 64 * MiB);
    const payload = new Uint8Array(MiB - 1);
    const seconds = 600;
    let peak = 0;
    let peakMemory = 0;
    for (let s = 0; s < seconds; s++) {
      log?.appendDirect(s * 1000, 'a', 1, payload.length, payload);
      peak = Math.max(peak, budget.payloadBytes);
      if (s % 10 === 0) peakMemory = Math.max(peakMemory, log?.payloadMemoryBytes() ?? 0);
    }
    expect(peak).toBeLessThanOrEqual(64 * MiB);
    expect(peakMemory).toBeLessThanOrEqual(64 * MiB);
    expect(log?.payloadBytes).toBe(budget.payloadBytes);
    // Released records still count as retained (as counts), until their retention ends.
    expect(log?.retainedRecords).toBe(seconds);
    expect(released()).toBe(seconds - (log?.detailRecords ?? 0));
    expect(released()).toBeGreaterThan(seconds - 64);
    // Released for payload bytes, none for the record limit.
    expect(log?.releasedForPayloadRecords).toBe(released());
    expect(readablePayload(log as RecordLog)).toBe(budget.payloadBytes);
    expect(PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT).toBeGreaterThanOrEqual(64 * MiB);
  });

  it('attaches a payload to the newest record only, and charges it to the budget', () => {
    const {
      budget,
      logs: [log],
    } = logs(1, 1000);
    const first = log?.appendDirect(1, 'k', 1, 10) as number;
    expect(log?.attachPayload(first, new Uint8Array(10))).toBe(true);
    expect(log?.attachPayload(first, new Uint8Array(10))).toBe(false); // already has one
    const second = log?.appendDirect(2, 'k', 1, 10) as number;
    expect(log?.attachPayload(first, new Uint8Array(10))).toBe(false); // no longer the newest
    expect(log?.attachPayload(second, new Uint8Array(10))).toBe(true);
    // Two payloads of 10 bytes, and the two records' 1-byte keys.
    expect(budget.payloadBytes).toBe(22);
  });

  it('counts the keys records hold toward it: 0-byte records with long keys are released past it, interned keys are not counted', () => {
    const {
      keys,
      budget,
      logs: [log, pinned],
    } = logs(2, 64 * 1024);
    // 256 characters of 2 UTF-8 bytes each: 512 bytes held with each record, beside its 0 bytes of Data.
    const key = 'é'.repeat(256);
    for (let i = 0; i < 1000; i++) log?.appendDirect(i, key, 512, 0);
    expect(budget.payloadBytes).toBeLessThanOrEqual(64 * 1024);
    expect(log?.detailRecords).toBeLessThanOrEqual((64 * 1024) / 512);
    expect(log?.releasedForPayloadRecords).toBe(1000 - (log?.detailRecords ?? 0));
    expect(readablePayload(log as RecordLog)).toBe(budget.payloadBytes);
    // A key the stream's key table interns is the table's (one copy for every record carrying it).
    const before = budget.payloadBytes;
    const id = keys.intern(key);
    for (let i = 0; i < 100; i++) {
      keys.retain(id);
      pinned?.append(1000 + i, id, 0);
    }
    expect(budget.payloadBytes).toBe(before);
    expect(pinned?.detailRecords).toBe(100);
  });

  it('releases oldest first across shards, keeps retained counts, and stays within budget (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('append' as const),
              shard: fc.nat(3),
              bytes: fc.nat(3000),
              payload: fc.boolean(),
            }),
            fc.record({ kind: fc.constant('expire' as const), back: fc.nat(50) }),
          ),
          { maxLength: 300 },
        ),
        (n, limit, ops) => {
          const { budget, logs: all } = logs(n, limit);
          let now = 0;
          let appended = 0;
          let expired = 0;
          for (const op of ops) {
            now++;
            if (op.kind === 'append') {
              const log = all[op.shard % n] as RecordLog;
              log.appendDirect(now, 'k', 1, op.bytes, op.payload ? new Uint8Array(op.bytes) : undefined);
              appended++;
            } else {
              for (const log of all) expired += log.expire(now - op.back).records;
            }
            expect(budget.payloadBytes).toBeLessThanOrEqual(limit);
            let held = 0;
            let retained = 0;
            for (const log of all) {
              held += readablePayload(log);
              retained += log.retainedRecords;
              expect(log.payloadBytes).toBe(readablePayload(log));
            }
            expect(held).toBe(budget.payloadBytes);
            expect(retained).toBe(appended - expired);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('DetailBudget: one budget shared by many logs (every shard of every stream)', () => {
  it('never holds more than its records and payload bytes, releases strictly oldest first across logs, and counts each record once (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 20 })),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.boolean(),
        fc.array(
          fc.oneof(
            {
              weight: 8,
              arbitrary: fc.record({
                kind: fc.constant('append' as const),
                log: fc.nat(19),
                bytes: fc.integer({ min: 1, max: 600 }),
                payload: fc.boolean(),
                // A PutRecords call's entries to one shard arrive at one instant.
                count: fc.integer({ min: 1, max: 6 }),
                dt: fc.oneof(fc.nat(3), fc.double({ min: 0, max: 2, noNaN: true })),
              }),
            },
            { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), back: fc.nat(200) }) },
          ),
          { maxLength: 400 },
        ),
        (n, recordLimit, payloadLimit, mixed, ops) => {
          const { budget, logs: all } = logs(n, payloadLimit, recordLimit);
          // What each log was given: arrival by ordinal; and the records that expired while still in detail.
          const arrivals: number[][] = all.map(() => []);
          const expiredDetail = all.map(() => 0);
          let now = 0;
          let cutoff = Number.NEGATIVE_INFINITY;
          let appended = 0;
          let expired = 0;
          for (const op of ops) {
            if (op.kind === 'append') {
              now += op.dt;
              const i = op.log % n;
              for (let k = 0; k < op.count; k++) {
                write(budget, all[i] as RecordLog, now, op.bytes, op.payload || !mixed);
                arrivals[i]?.push(now);
                appended++;
              }
            } else {
              cutoff = Math.max(cutoff, now - op.back);
              all.forEach((log, i) => {
                const list = arrivals[i] as number[];
                for (let o = log.firstReadableOrdinal; o < list.length && (list[o] as number) <= cutoff; o++)
                  expiredDetail[i] = (expiredDetail[i] as number) + 1;
                expired += log.expire(cutoff).records;
              });
            }
            let detail = 0;
            let payload = 0;
            let retained = 0;
            let newestReleased = Number.NEGATIVE_INFINITY;
            let oldestHeld = Number.POSITIVE_INFINITY;
            all.forEach((log, i) => {
              const list = arrivals[i] as number[];
              detail += log.detailRecords;
              payload += readablePayload(log);
              retained += log.retainedRecords;
              expect(log.payloadBytes).toBe(readablePayload(log));
              // Each record is held in detail, released into counts, or expired from detail: exactly one.
              expect(log.detailRecords).toBe(list.length - log.firstReadableOrdinal);
              expect(log.releasedRecords + (expiredDetail[i] as number)).toBe(log.firstReadableOrdinal);
              for (let o = 0; o < log.firstReadableOrdinal; o++) {
                const at = list[o] as number;
                if (at > cutoff) newestReleased = Math.max(newestReleased, at);
              }
              oldestHeld = Math.min(oldestHeld, log.oldestDetailArrivalMs());
            });
            expect(detail).toBeLessThanOrEqual(recordLimit);
            expect(budget.payloadBytes).toBeLessThanOrEqual(payloadLimit);
            expect(payload).toBe(budget.payloadBytes);
            expect(retained).toBe(appended - expired);
            // Released oldest first: no record still retained as a count arrived after one held in detail
            // (when every record has a payload, so both limits choose among all logs).
            if (!mixed) expect(newestReleased).toBeLessThanOrEqual(oldestHeld);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('past the payload limit frees just enough: down to 7/8 of it, less at most one record (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 600, max: 30_000 }),
        fc.array(fc.record({ log: fc.nat(11), bytes: fc.integer({ min: 1, max: 600 }), dt: fc.nat(2) }), {
          maxLength: 300,
        }),
        (n, limit, ops) => {
          const { budget, logs: all } = logs(n, limit);
          const target = Math.floor((limit * 7) / 8);
          let now = 0;
          for (const op of ops) {
            now += op.dt;
            const before = budget.releasedRecords;
            write(budget, all[op.log % n] as RecordLog, now, op.bytes, true);
            if (budget.releasedRecords > before) {
              expect(budget.payloadBytes).toBeLessThanOrEqual(target);
              // Less at most one record: 600 bytes of data and its 1-byte key.
              expect(budget.payloadBytes).toBeGreaterThan(target - 601);
            } else expect(budget.payloadBytes).toBeLessThanOrEqual(limit);
          }
        },
      ),
      {
        numRuns: 150,
        // Found by this property: a record's key charged after its Data left a release 1 byte short.
        examples: [
          [
            1,
            603,
            [
              { log: 0, bytes: 76, dt: 0 },
              { log: 0, bytes: 527, dt: 0 },
            ],
          ],
        ],
      },
    );
  });

  it('past the record limit releases exactly down to 7/8 of it, oldest first, even when all arrived at one instant', () => {
    for (const paused of [false, true]) {
      const { budget, logs: all } = logs(3, Number.POSITIVE_INFINITY, 80);
      // 81 records over three logs, interleaved; with the clock paused they all arrive at one instant.
      for (let i = 0; i < 81; i++) write(budget, all[i % 3] as RecordLog, paused ? 5 : i, 1, false);
      const detail = all.reduce((n, log) => n + log.detailRecords, 0);
      expect(detail).toBe(70); // floor(80 × 7/8)
      expect(budget.releasedRecords).toBe(11);
      if (!paused) {
        // The 11 oldest went: records 0…10, i.e. 4, 4 and 3 of the three logs.
        expect(all.map((log) => log.releasedRecords)).toEqual([4, 4, 3]);
      }
      // Released for the record limit, none for payload bytes.
      expect(all.map((log) => log.releasedForPayloadRecords)).toEqual([0, 0, 0]);
    }
  });

  it('a log that leaves the budget (its stream is gone) gives back its payload bytes and records', () => {
    const { budget, logs: all } = logs(3, 1000, 100);
    const [a, b, c] = all as [RecordLog, RecordLog, RecordLog];
    for (let t = 0; t < 30; t++) {
      write(budget, a, t, 10, true);
      write(budget, b, t, 20, true);
    }
    // 30 × (10 + 1) + 30 × (20 + 1): data, and each record's 1-byte key held with it.
    expect(budget.payloadBytes).toBe(960);
    budget.leave(b);
    expect(budget.payloadBytes).toBe(330);
    expect(b.budget).toBeUndefined();
    // What `b` held no longer counts: `c` may now hold 670 more bytes before anything is released.
    for (let t = 30; t < 90; t++) write(budget, c, t, 10, true);
    expect(budget.payloadBytes).toBe(990);
    expect(a.releasedRecords + c.releasedRecords).toBe(0);
    write(budget, c, 90, 10, true);
    expect(budget.payloadBytes).toBeLessThanOrEqual(875);
    // The oldest went first: `a`'s records (arrived 0…29) before any of `c`'s.
    expect(a.releasedRecords).toBeGreaterThan(0);
    expect(budget.payloadBytes + (a.releasedRecords + c.releasedRecords) * 11).toBe(1001);
  });
});

describe('memory of a shard’s columns', () => {
  it('grows with the records it holds: a few KiB for one record, not a whole chunk', () => {
    const log = new RecordLog(new KeyTable());
    log.appendDirect(0, 'device-0', 8, 100, new Uint8Array(100));
    // 256 records' room: 16 bytes of columns + 16 of keys and payload places each, and the key's bytes.
    expect(log.columnBytes()).toBeLessThanOrEqual(256 * 32 + 256 * 9);
    for (let i = 1; i < 10_000; i++) log.appendDirect(i, `device-${i % 100}`, 8, 100, new Uint8Array(100));
    // Full chunks and a grown one: at most twice what 10,000 records need, with their keys.
    expect(log.columnBytes()).toBeLessThanOrEqual(2 * 10_000 * (32 + 9));
    let read = 0;
    log.read(0, (record) => {
      expect(record.partitionKey).toBe(`device-${record.ordinal % 100}`);
      expect(record.arrivalMs).toBe(record.ordinal);
      read++;
      return true;
    });
    expect(read).toBe(10_000);
  });
});

describe('keys held without interning', () => {
  it("reads back a stream's first record of 4 KiB of Data with a 256-character key (more than a first slab)", () => {
    const log = new RecordLog(new KeyTable());
    const key = 'k'.repeat(256);
    const payload = new Uint8Array(4096).fill(7);
    log.appendDirect(0, key, 256, payload.length, payload);
    log.appendDirect(1, 'b', 1, 3, new Uint8Array([1, 2, 3]));
    const read: [string, number[]][] = [];
    log.read(0, (r) => {
      read.push([r.partitionKey, [...(r.payload ?? [])].slice(0, 3)]);
      return true;
    });
    expect(read).toEqual([
      [key, [7, 7, 7]],
      ['b', [1, 2, 3]],
    ]);
  });

  it('reads back every key and payload as written, ASCII or not, with or without a payload (small or large), across chunks and buffer growth', () => {
    const utf8 = (key: string) => new TextEncoder().encode(key).length;
    const payloadOf = (i: number, size: number) => new Uint8Array(size).fill(i % 251);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.string({ minLength: 1, maxLength: 256 }),
              fc.string({ unit: 'binary', minLength: 1, maxLength: 256 }),
              fc.constantFrom('\ud800', 'a\udfffb', '😀', 'é'),
            ),
            // No payload, one in the stream's slabs (≤ 4 KiB, near it too: with its key it may not fit a
            // slab of 4 KiB), or one in a buffer of its own.
            fc.option(
              fc.oneof(
                fc.integer({ min: 0, max: 300 }),
                fc.integer({ min: 3800, max: 4096 }),
                fc.integer({ min: 4097, max: 6000 }),
              ),
            ),
          ),
          { minLength: 1, maxLength: 9000 },
        ),
        (records) => {
          const log = new RecordLog(new KeyTable());
          for (const [i, [key, size]] of records.entries())
            log.appendDirect(i, key, utf8(key), size ?? 1, size === null ? undefined : payloadOf(i, size));
          const read: string[] = [];
          const sizes: number[] = [];
          log.read(0, (r) => {
            read.push(r.partitionKey);
            sizes.push(r.keyBytes);
            const size = records[r.ordinal]?.[1] ?? null;
            if (size === null) expect(r.payload).toBeUndefined();
            else expect(r.payload).toEqual(payloadOf(r.ordinal, size));
            return true;
          });
          expect(read).toEqual(records.map(([key]) => key));
          expect(sizes).toEqual(records.map(([key]) => utf8(key)));
          // The budget counts each record's key and payload bytes, wherever they are held.
          expect(log.payloadBytes).toBe(
            records.reduce((sum, [key, size]) => sum + utf8(key) + (size ?? 0), 0),
          );
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('payloads the log holds', () => {
  it('reads back every held payload as written, in memory bounded by what it holds (property)', () => {
    // As the endpoint does: every stream's records are decoded into one shared buffer; here two logs (two
    // streams' shards) take views of it, and one keeps its records far longer than the other.
    const step = fc.record({
      records: fc.integer({ min: 1, max: 1500 }),
      log: fc.integer({ min: 0, max: 1 }),
      withPayload: fc.boolean(),
      large: fc.boolean(),
      keepMs: fc.option(fc.integer({ min: 0, max: 20 })),
      release: fc.option(fc.integer({ min: 1, max: 2000 })),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 10 }), (steps) => {
        const shared = new Uint8Array(256 * 1024);
        let sharedUsed = 0;
        const keys = new KeyTable();
        const logs = [new RecordLog(keys), new RecordLog(keys)];
        const written: { ordinal: number; bytes: number[] | undefined }[][] = [[], []];
        let nowMs = 0;
        for (const s of steps) {
          nowMs++;
          const log = logs[s.log] as RecordLog;
          for (let r = 0; r < s.records; r++) {
            let payload: Uint8Array | undefined;
            if (s.withPayload) {
              const length = s.large && r % 100 === 0 ? 5000 + r : 1 + (r % 16);
              if (sharedUsed + length > shared.length) sharedUsed = 0;
              payload = shared.subarray(sharedUsed, sharedUsed + length).fill((r + nowMs) % 251);
              sharedUsed += length;
            }
            const ordinal = log.appendDirect(nowMs, 'k', 1, payload?.length ?? 0, payload);
            written[s.log]?.push({ ordinal, bytes: payload && [...payload] });
          }
          // The caller's buffer is used again at once: the log must have kept its own copy.
          shared.fill(0);
          // The first log keeps 100 ms of records, the second 0–20 ms: only the second expires here.
          if (s.keepMs !== null) logs[1]?.expire(nowMs - s.keepMs);
          if (s.release !== null) log.releaseOldest(nowMs, s.release, Number.POSITIVE_INFINITY);
          for (const [l, held] of logs.entries()) {
            const readable = (written[l] ?? []).filter((w) => w.ordinal >= held.firstReadableOrdinal);
            const read: (number[] | undefined)[] = [];
            held.read(0, (record) => {
              read.push(record.payload && [...record.payload]);
              return true;
            });
            expect(read).toEqual(readable.map((w) => w.bytes));
            const payloadBytes = readable.reduce((sum, w) => sum + (w.bytes?.length ?? 0), 0);
            // The data budget counts each record's 1-byte key held with it too.
            expect(held.payloadBytes).toBe(payloadBytes + readable.length);
            // What it holds, plus at most two slabs' room (each log has its own here, and none grows past
            // 64 KiB): never the caller's buffer behind other records.
            expect(held.payloadMemoryBytes()).toBeLessThanOrEqual(payloadBytes + 128 * 1024);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("a stream's shared payload slabs", () => {
  it('hold every payload intact, and keep at most two slabs unused beyond what the logs hold, as records leave in arrival order', () => {
    const step = fc.record({
      log: fc.nat(15),
      records: fc.integer({ min: 1, max: 40 }),
      size: fc.integer({ min: 0, max: 4_200 }),
      waitMs: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 5, max: 200 }),
        (steps, keepMs) => {
          const keys = new KeyTable();
          const slabs = new PayloadSlabs();
          const logs = Array.from({ length: 16 }, () => new RecordLog(keys, slabs));
          const written: { ordinal: number; fill: number; size: number }[][] = logs.map(() => []);
          let nowMs = 0;
          for (const s of steps) {
            nowMs += s.waitMs;
            const log = logs[s.log] as RecordLog;
            for (let r = 0; r < s.records; r++) {
              const fill = (nowMs + r) % 251;
              const size = (s.size + r) % 4_200;
              const ordinal = log.appendDirect(nowMs, 'k', 1, size, new Uint8Array(size).fill(fill));
              written[s.log]?.push({ ordinal, fill, size });
            }
            // One retention for every shard of a stream: they all drop what arrived before the same instant.
            for (const l of logs) l.expire(nowMs - keepMs);
            const held = new Set<ArrayBuffer>();
            let payloadBytes = 0;
            for (const [i, l] of logs.entries()) {
              l.addHeldPayloadBuffers(held);
              const readable = (written[i] ?? []).filter((w) => w.ordinal >= l.firstReadableOrdinal);
              const read: { fill: number; size: number }[] = [];
              l.read(0, (record) => {
                const bytes = record.payload ?? new Uint8Array(0);
                read.push({ fill: bytes.length > 0 ? (bytes[0] as number) : -1, size: bytes.length });
                expect(bytes.every((b) => b === bytes[0])).toBe(true);
                return true;
              });
              expect(read).toEqual(readable.map((w) => ({ fill: w.size > 0 ? w.fill : -1, size: w.size })));
              payloadBytes += readable.reduce((sum, w) => sum + w.size, 0);
            }
            let memory = 0;
            for (const buffer of held) memory += buffer.byteLength;
            // Slabs never exceed 1 MiB; payloads over 4 KiB have buffers of their own, exactly their size.
            expect(memory).toBeLessThanOrEqual(payloadBytes + 2 * 1024 * 1024);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

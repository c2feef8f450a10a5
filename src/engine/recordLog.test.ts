// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTable } from './keyTable';
import { PAYLOAD_DETAIL_BUDGET_BYTES_DEFAULT } from './limits';
import { PayloadBudget, RecordLog } from './recordLog';

const MiB = 1024 * 1024;

function logs(n: number, limit: number) {
  const keys = new KeyTable();
  const budget = new PayloadBudget(limit);
  let released = 0;
  budget.onRelease = (records) => {
    released += records;
  };
  const all = Array.from({ length: n }, () => {
    const log = new RecordLog(keys);
    budget.join(log);
    return log;
  });
  return { keys, budget, logs: all, released: () => released };
}

/** Payload bytes a log still lets readers see. */
function readablePayload(log: RecordLog): number {
  let bytes = 0;
  log.read(0, (r) => {
    bytes += r.payload?.length ?? 0;
    return true;
  });
  return bytes;
}

describe('RecordLog payload byte budget', () => {
  it('a 1-shard stream at 1 MiB/s for 24 virtual hours holds at most the budget', () => {
    const {
      budget,
      logs: [log],
      released,
    } = logs(1, 64 * MiB);
    const payload = new Uint8Array(MiB - 1); // one shared buffer: the test measures accounting, not RAM
    let peak = 0;
    for (let s = 0; s < 24 * 3600; s++) {
      log?.appendDirect(s * 1000, 'a', 1, payload.length, payload);
      peak = Math.max(peak, budget.heldBytes);
    }
    expect(peak).toBeLessThanOrEqual(64 * MiB);
    expect(log?.payloadBytes).toBe(budget.heldBytes);
    // Released records still count as retained (as counts), until their retention ends.
    expect(log?.retainedRecords).toBe(24 * 3600);
    expect(released()).toBe(24 * 3600 - (log?.detailRecords ?? 0));
    expect(readablePayload(log as RecordLog)).toBe(budget.heldBytes);
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
    expect(budget.heldBytes).toBe(20);
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
            expect(budget.heldBytes).toBeLessThanOrEqual(limit);
            let held = 0;
            let retained = 0;
            for (const log of all) {
              held += readablePayload(log);
              retained += log.retainedRecords;
              expect(log.payloadBytes).toBe(readablePayload(log));
            }
            expect(held).toBe(budget.heldBytes);
            expect(retained).toBe(appended - expired);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('keys held without interning', () => {
  it('reads back every key as it was written, ASCII or not, across chunks and buffer growth', () => {
    const utf8 = (key: string) => new TextEncoder().encode(key).length;
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ minLength: 1, maxLength: 256 }),
            fc.string({ unit: 'binary', minLength: 1, maxLength: 256 }),
            fc.constantFrom('\ud800', 'a\udfffb', '😀', 'é'),
          ),
          { minLength: 1, maxLength: 9000 },
        ),
        (keys) => {
          const log = new RecordLog(new KeyTable());
          for (const [i, key] of keys.entries()) log.appendDirect(i, key, utf8(key), 1);
          const read: string[] = [];
          const sizes: number[] = [];
          log.read(0, (r) => {
            read.push(r.partitionKey);
            sizes.push(r.keyBytes);
            return true;
          });
          expect(read).toEqual(keys);
          expect(sizes).toEqual(keys.map(utf8));
        },
      ),
      { numRuns: 20 },
    );
  });
});

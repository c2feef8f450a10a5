// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashKeyOfPartitionKey, hashKeyToDecimal } from './hashKey';
import { KeyTable } from './keyTable';
import { utf8ByteLength } from './md5';

describe('KeyTable', () => {
  it('interns keys to stable ids with their hash key and UTF-8 size', () => {
    const table = new KeyTable();
    const ids = Array.from({ length: 5000 }, (_, i) => table.intern(`key-${i}`));
    expect(new Set(ids).size).toBe(5000);
    expect(table.size).toBe(5000);
    const scratch = new Uint32Array(4);
    for (const i of [0, 1, 777, 4999]) {
      expect(table.intern(`key-${i}`)).toBe(ids[i]);
      expect(table.keyOf(ids[i] as number)).toBe(`key-${i}`);
      expect(hashKeyToDecimal(table.hashWords, (ids[i] as number) * 4)).toBe(
        hashKeyToDecimal(hashKeyOfPartitionKey(`key-${i}`, scratch)),
      );
      expect(table.utf8Bytes[ids[i] as number]).toBe(utf8ByteLength(`key-${i}`));
    }
  });

  it('behaves like a reference-counted map under random intern/retain/release (deletion keeps lookups intact)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('intern' as const), key: fc.integer({ min: 0, max: 1000 }) }),
      fc.record({ kind: fc.constant('retain' as const), key: fc.integer({ min: 0, max: 1000 }) }),
      fc.record({ kind: fc.constant('release' as const), key: fc.integer({ min: 0, max: 1000 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 500, maxLength: 5000 }), (ops) => {
        const table = new KeyTable();
        const refs = new Map<string, number>(); // live keys → reference count
        const ids = new Map<string, number>();
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'intern') {
            const id = table.intern(key);
            if (ids.has(key)) expect(id).toBe(ids.get(key));
            ids.set(key, id);
            if (!refs.has(key)) refs.set(key, 0);
            table.retain(id); // hold it so it is not forgotten before the model says so
            refs.set(key, (refs.get(key) ?? 0) + 1);
          } else if (refs.has(key)) {
            const id = ids.get(key) as number;
            if (o.kind === 'retain') {
              table.retain(id);
              refs.set(key, (refs.get(key) ?? 0) + 1);
            } else {
              table.release(id);
              const left = (refs.get(key) ?? 0) - 1;
              if (left <= 0) {
                refs.delete(key);
                ids.delete(key);
              } else refs.set(key, left);
            }
          }
          expect(table.size).toBe(refs.size);
        }
        for (const [key, id] of ids) {
          expect(table.intern(key)).toBe(id);
          expect(table.keyOf(id)).toBe(key);
        }
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('a key interned and never retained can be dropped with releaseIfUnused', () => {
    const table = new KeyTable();
    const a = table.intern('a');
    table.releaseIfUnused(a);
    expect(table.size).toBe(0);
    const b = table.intern('b');
    table.retain(b);
    table.releaseIfUnused(b);
    expect(table.size).toBe(1);
    expect(table.intern('b')).toBe(b);
  });
});

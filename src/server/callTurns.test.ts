// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallTurns } from './callTurns';

/** Resolves after the event loop's current check phase (one setImmediate turn). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CallTurns: one call per turn of the event loop, each settled before the next', () => {
  afterEach(() => vi.restoreAllMocks());

  it('works on a call at once when nothing waits, and settles it in the next turn', async () => {
    const log: string[] = [];
    const turns = new CallTurns(() => log.push('settle'));
    turns.run(() => log.push('a'));
    expect(log).toEqual(['a']);
    await nextTurn();
    expect(log).toEqual(['a', 'settle']);
  });

  it('keeps calls that arrive together in order, one a turn, with the settle of each before the next', async () => {
    const log: string[] = [];
    const turns = new CallTurns(() => log.push('settle'));
    for (const name of ['a', 'b', 'c']) turns.run(() => log.push(name));
    expect(log).toEqual(['a']);
    expect(turns.pending).toBe(2);
    const seen: string[][] = [];
    for (let turn = 0; turn < 6; turn++) {
      await nextTurn();
      seen.push([...log]);
    }
    expect(log).toEqual(['a', 'settle', 'b', 'settle', 'c', 'settle']);
    // Never two calls in one turn: each turn added one entry.
    expect(seen.map((entries) => entries.length)).toEqual([2, 3, 4, 5, 6, 6]);
    expect(turns.pending).toBe(0);
    // Idle again: the next call is worked on at once.
    turns.run(() => log.push('d'));
    expect(log.at(-1)).toBe('d');
  });

  it('goes on with the calls after one that throws or a settle that fails', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const log: string[] = [];
    let failing = true;
    const turns = new CallTurns(() => {
      if (failing) {
        failing = false;
        throw new Error('bug');
      }
      log.push('settle');
    });
    expect(() =>
      turns.run(() => {
        throw new Error('call');
      }),
    ).toThrow('call');
    turns.run(() => log.push('b'));
    for (let turn = 0; turn < 4; turn++) await nextTurn();
    expect(log).toEqual(['b', 'settle']);
    expect(error).toHaveBeenCalledTimes(1);
  });
});

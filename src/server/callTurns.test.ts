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

  it('goes on with the calls after one that throws or a settle that fails, and reports both', async () => {
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
    turns.run(() => {
      throw new Error('call at once');
    });
    turns.run(() => {
      throw new Error('call in its turn');
    });
    turns.run(() => log.push('c'));
    for (let turn = 0; turn < 6; turn++) await nextTurn();
    expect(log).toEqual(['settle', 'c', 'settle']);
    expect(error).toHaveBeenCalledTimes(3);
  });

  it('makes a call made from inside a call wait its turn, after that call is settled', async () => {
    const log: string[] = [];
    const turns = new CallTurns(() => log.push('settle'));
    turns.run(() => {
      log.push('a');
      turns.run(() => log.push('inner'));
      log.push('a done');
    });
    for (let turn = 0; turn < 4; turn++) await nextTurn();
    expect(log).toEqual(['a', 'a done', 'settle', 'inner', 'settle']);
  });

  it('holds only the calls still waiting, though calls keep waiting (no call worked on stays reachable)', async () => {
    const turns = new CallTurns(() => {});
    // What the queue holds (white box: a worked-on call kept there would keep its request body alive).
    const held = () => (turns as unknown as { waiting: unknown[] }).waiting.length;
    let worked = 0;
    let mostHeld = 0;
    // Calls keep waiting: each call, when worked on, has another arrive soon after (as a client's next does).
    const call = () => {
      worked++;
      mostHeld = Math.max(mostHeld, held());
      if (worked < 200) setImmediate(() => turns.run(call));
    };
    turns.run(call);
    turns.run(call);
    turns.run(call);
    for (let turn = 0; turn < 500 && worked < 202; turn++) await nextTurn();
    expect(worked).toBe(202);
    expect(mostHeld).toBeLessThanOrEqual(2);
    expect(held()).toBe(turns.pending);
  });
});

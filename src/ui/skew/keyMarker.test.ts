import { describe, expect, it } from 'vitest';
import type { CommandResult } from '../../worker/protocol';
import { type MarkRequest, markOf, markReason } from './keyMarker';

const inspection = (partitionKey: string, explicit = false): CommandResult => ({
  ok: true,
  operation: 'InspectKey',
  output: {
    partitionKey,
    explicit,
    hashKey: '123',
    fraction: 0.25,
    shardId: 'shardId-000000000001',
    startingHashKey: '100',
    endingHashKey: '200',
  },
});

const request = (over: Partial<MarkRequest> = {}): MarkRequest => ({
  source: 'putRecord',
  partitionKey: 'user-1',
  explicitHashKey: undefined,
  putShardId: 'shardId-000000000001',
  generation: 3,
  before: undefined,
  ...over,
});

describe('markOf', () => {
  it('marks the key with the values the worker answered', () => {
    const mark = markOf(request(), inspection('user-1'), 3);
    expect(mark).toMatchObject({ hashKey: '123', fraction: 0.25, shardId: 'shardId-000000000001' });
    expect(markReason(mark as NonNullable<typeof mark>)).toBe(
      `its hash key (the MD5 of "user-1" as a 128-bit number) 123 lies between shardId-000000000001's StartingHashKey 100 and EndingHashKey 200.`,
    );
  });

  it('waits for a newer answer, for the same key, in the same simulation', () => {
    const old = inspection('user-1');
    expect(markOf(request({ before: old }), old, 3)).toBeNull();
    expect(markOf(request(), inspection('user-2'), 3)).toBeNull();
    expect(markOf(request(), inspection('user-1'), 4)).toBeNull();
    expect(markOf(request({ explicitHashKey: '123' }), inspection('user-1'), 3)).toBeNull();
    expect(
      markOf(request(), { ok: false, operation: 'InspectKey', errorType: 'X', message: 'no' }, 3),
    ).toBeNull();
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from './index';

const T = (operation: string) => `Kinesis_20131202.${operation}`;
const call = (engine: Engine, operation: string, body: unknown) =>
  engine.dispatch(T(operation), JSON.stringify(body));
const listed = (engine: Engine, body: Record<string, unknown> = {}) =>
  JSON.parse(call(engine, 'ListTagsForStream', { StreamName: 'orders', ...body }).body) as {
    Tags: { Key: string; Value: string }[];
    HasMoreTags: boolean;
  };
const error = (answer: { status: number; body: string }) => {
  const body = JSON.parse(answer.body) as { __type: string; message?: string; Message?: string };
  return [answer.status, body.__type, body.message ?? body.Message];
};

function withStream(tags?: Record<string, string>): Engine {
  const engine = createEngine({ seed: 1, transitionMs: 0 });
  const created = call(engine, 'CreateStream', { StreamName: 'orders', ShardCount: 1, Tags: tags });
  expect(created).toEqual({ status: 200, body: '' });
  return engine;
}

describe('stream tags (AddTagsToStream, ListTagsForStream, RemoveTagsFromStream, CreateStream Tags)', () => {
  it('lists tags in key order, paged by Limit and ExclusiveStartTagKey; adding overwrites', () => {
    const engine = withStream({ team: 'blue', env: 'dev' });
    expect(listed(engine)).toEqual({
      Tags: [
        { Key: 'env', Value: 'dev' },
        { Key: 'team', Value: 'blue' },
      ],
      HasMoreTags: false,
    });
    expect(
      call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: { env: 'prod', owner: 'ana' } }),
    ).toEqual({
      status: 200,
      body: '',
    });
    expect(listed(engine, { Limit: 2 })).toEqual({
      Tags: [
        { Key: 'env', Value: 'prod' },
        { Key: 'owner', Value: 'ana' },
      ],
      HasMoreTags: true,
    });
    expect(listed(engine, { ExclusiveStartTagKey: 'owner', Limit: 2 })).toEqual({
      Tags: [{ Key: 'team', Value: 'blue' }],
      HasMoreTags: false,
    });
    // By ARN too; keys it does not have are ignored.
    const arn = 'arn:aws:kinesis:us-east-1:000000000000:stream/orders';
    expect(call(engine, 'RemoveTagsFromStream', { StreamARN: arn, TagKeys: ['env', 'nope'] }).status).toBe(
      200,
    );
    expect(listed(engine).Tags.map((tag) => tag.Key)).toEqual(['owner', 'team']);
  });

  it('refuses what Kinesis refuses, and a refused call changes nothing', () => {
    const engine = withStream({ team: 'blue' });
    const before = listed(engine);
    const account = '000000000000';
    expect(error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: { owner: 'ana!' } }))).toEqual(
      [
        400,
        'InvalidArgumentException',
        'Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @ :.',
      ],
    );
    expect(
      error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: { ok: 'x', 'a%': '1' } })),
    ).toEqual([
      400,
      'InvalidArgumentException',
      `Failed to add tags to stream orders under account ${account} because some tags contained illegal characters. The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@',':'.`,
    ]);
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, 'v']));
    expect(error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: fifty }))).toEqual([
      400,
      'InvalidArgumentException',
      `Failed to add tags to stream orders under account ${account} because a given stream cannot have more than 50 tags associated with it.`,
    ]);
    expect(error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: {} }))).toEqual([
      400,
      'ValidationException',
      "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
    expect(
      error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: { ['k'.repeat(129)]: 'v' } }))[2],
    ).toContain(
      'failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]',
    );
    expect(
      error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: { k: 'v'.repeat(257) } }))[2],
    ).toBe(
      `1 validation error detected: Value '{k=${'v'.repeat(257)}}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]`,
    );
    expect(error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: 'team=red' }))).toEqual([
      400,
      'SerializationException',
      'Expected map or null',
    ]);
    expect(error(call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: [] }))[2]).toBe(
      'Start of list found where not expected',
    );
    expect(
      error(call(engine, 'RemoveTagsFromStream', { StreamName: 'orders', TagKeys: ['', 'team'] }))[2],
    ).toBe(
      "1 validation error detected: Value '[, team]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
    );
    expect(error(call(engine, 'ListTagsForStream', { StreamName: 'orders', Limit: 51 }))[2]).toBe(
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
    expect(error(call(engine, 'ListTagsForStream', { StreamName: 'other' }))).toEqual([
      400,
      'ResourceNotFoundException',
      `Stream other under account ${account} not found.`,
    ]);
    expect(listed(engine)).toEqual(before);
    // A "__proto__" key is a tag like any other.
    expect(
      call(engine, 'AddTagsToStream', { StreamName: 'orders', Tags: JSON.parse('{"__proto__":"p"}') }).status,
    ).toBe(200);
    expect(listed(engine).Tags).toContainEqual({ Key: '__proto__', Value: 'p' });
  });

  it('CreateStream with refused tags creates no stream', () => {
    const engine = createEngine({ seed: 1, transitionMs: 0 });
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v']));
    expect(error(call(engine, 'CreateStream', { StreamName: 'orders', ShardCount: 1, Tags: tags }))[1]).toBe(
      'InvalidArgumentException',
    );
    expect(JSON.parse(call(engine, 'ListStreams', {}).body).StreamNames).toEqual([]);
  });
});

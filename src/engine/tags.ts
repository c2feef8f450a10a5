import { errors } from './errors';
import { LIST_TAGS_LIMIT_MAX, TAGS_PER_STREAM_MAX } from './limits';
import type { Stream } from './stream';

/**
 * Stream tags: AddTagsToStream, ListTagsForStream, RemoveTagsFromStream, and CreateStream's Tags. Checks as
 * Kinesis makes them, after the request's shape (lengths and counts, validation.ts): the characters of every
 * key and value (Unicode letters, digits, white space and `_ . / = + - @ :`; `%` gets a message of its own),
 * then at most TAGS_PER_STREAM_MAX tags on the stream once these are added. Nothing changes when a check fails.
 */

/** Characters a tag may hold, `%` included: the first check lets it through, the second refuses it. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}\s_./=+\-@%:]*$/u;

function checkCharacters(
  texts: Iterable<string>,
  verb: 'add tags to' | 'remove tags from',
  streamName: string,
  accountId: string,
): void {
  const all = [...texts];
  if (!all.every((text) => TAG_CHARACTERS.test(text))) throw errors.tagCharacters();
  if (all.some((text) => text.includes('%'))) throw errors.tagIllegalCharacters(verb, streamName, accountId);
}

/**
 * Checks that `tags` may be added to a stream that has `current` (AddTagsToStream; CreateStream's Tags with
 * none yet): throws InvalidArgumentException for a character outside the allowed set or more than 50 tags in
 * all. CreateStream checks before it creates anything.
 */
export function checkNewTags(
  streamName: string,
  accountId: string,
  current: ReadonlyMap<string, string>,
  tags: ReadonlyMap<string, string>,
): void {
  checkCharacters([...tags.keys(), ...tags.values()], 'add tags to', streamName, accountId);
  const keys = new Set([...current.keys(), ...tags.keys()]);
  if (keys.size > TAGS_PER_STREAM_MAX) throw errors.tooManyTags(streamName, accountId, TAGS_PER_STREAM_MAX);
}

/** Adds or overwrites `tags` on the stream (AddTagsToStream), after checkNewTags' checks. */
export function addTags(stream: Stream, tags: ReadonlyMap<string, string>): void {
  checkNewTags(stream.name, stream.accountId, stream.tags, tags);
  for (const [key, value] of tags) stream.tags.set(key, value);
}

/** Removes the tags with these keys (RemoveTagsFromStream); keys the stream does not have are ignored. */
export function removeTags(stream: Stream, keys: readonly string[]): void {
  checkCharacters(keys, 'remove tags from', stream.name, stream.accountId);
  for (const key of keys) stream.tags.delete(key);
}
/**
 * ListTagsForStream: the stream's tags in key order, those after `exclusiveStartTagKey` if given, at most
 * `limit` (1–50; all without one), and whether more follow.
 */
export function listTags(
  stream: Stream,
  exclusiveStartTagKey: string | undefined,
  limit: number | undefined,
): { Tags: { Key: string; Value: string }[]; HasMoreTags: boolean } {
  const keys = [...stream.tags.keys()]
    .sort()
    .filter((key) => exclusiveStartTagKey === undefined || key > exclusiveStartTagKey);
  const count = limit ?? LIST_TAGS_LIMIT_MAX;
  return {
    Tags: keys.slice(0, count).map((key) => ({ Key: key, Value: stream.tags.get(key) as string })),
    HasMoreTags: keys.length > count,
  };
}

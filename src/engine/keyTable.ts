import { hashKeyOfPartitionKey } from './hashKey';
import { utf8ByteLength } from './md5';

/**
 * Interned partition keys of one stream. A stored record keeps only a key id (4 bytes), never a string;
 * each key's 128-bit hash key and UTF-8 size are computed once. Ids are reference-counted (stored records,
 * producers and the hot-key sketch hold references) and reused once free, so memory follows the keys alive.
 */
export class KeyTable {
  private readonly ids = new Map<string, number>();
  private keys: (string | undefined)[] = [];
  private refs = new Int32Array(1024);
  /** Hash key words, most significant first, 4 per id. */
  hashWords = new Uint32Array(4 * 1024);
  utf8Bytes = new Uint32Array(1024);
  /** Shard cache: the shard index a key routes to, valid while `routeEpoch[id] === epoch`. */
  routeShard = new Int32Array(1024);
  routeEpoch = new Uint32Array(1024);
  private free: number[] = [];
  private scratch = new Uint32Array(4);

  /** Number of keys currently interned. */
  get size(): number {
    return this.ids.size;
  }

  /** The id of `key`, interning it (with no reference) if new. */
  intern(key: string): number {
    const existing = this.ids.get(key);
    if (existing !== undefined) return existing;
    const id = this.free.length > 0 ? (this.free.pop() as number) : this.keys.length;
    if (id >= this.refs.length) this.grow(id + 1);
    if (id === this.keys.length) this.keys.push(key);
    else this.keys[id] = key;
    this.ids.set(key, id);
    this.refs[id] = 0;
    this.routeEpoch[id] = 0;
    hashKeyOfPartitionKey(key, this.scratch);
    this.hashWords.set(this.scratch, id * 4);
    this.utf8Bytes[id] = utf8ByteLength(key);
    return id;
  }

  /** The key string of an interned id. */
  keyOf(id: number): string {
    return this.keys[id] ?? '';
  }

  /** Adds a reference so the id stays valid. */
  retain(id: number): void {
    this.refs[id] = (this.refs[id] ?? 0) + 1;
  }

  /** Drops a reference; the key is forgotten when none is left. */
  release(id: number): void {
    const left = (this.refs[id] ?? 0) - 1;
    this.refs[id] = left;
    if (left <= 0) this.forget(id);
  }

  /** Forgets a key that nothing references (e.g. interned for a record that was then throttled). */
  releaseIfUnused(id: number): void {
    if ((this.refs[id] ?? 0) <= 0) this.forget(id);
  }

  private forget(id: number): void {
    const key = this.keys[id];
    if (key === undefined) return;
    this.ids.delete(key);
    this.keys[id] = undefined;
    this.refs[id] = 0;
    this.free.push(id);
  }

  private grow(minimum: number): void {
    let capacity = this.refs.length;
    while (capacity < minimum) capacity *= 2;
    const refs = new Int32Array(capacity);
    refs.set(this.refs);
    this.refs = refs;
    const words = new Uint32Array(capacity * 4);
    words.set(this.hashWords);
    this.hashWords = words;
    const bytes = new Uint32Array(capacity);
    bytes.set(this.utf8Bytes);
    this.utf8Bytes = bytes;
    const shard = new Int32Array(capacity);
    shard.set(this.routeShard);
    this.routeShard = shard;
    const epoch = new Uint32Array(capacity);
    epoch.set(this.routeEpoch);
    this.routeEpoch = epoch;
  }
}

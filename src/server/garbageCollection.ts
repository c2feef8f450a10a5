import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past its live size before the next full collection: 4× (V8's
 * `--heap-growing-percent`, 0 = its own adaptive 1.1–2×).
 */
export const HEAP_GROWING_PERCENT = 300;

/**
 * Tunes the server process's garbage collector for what it holds (call once, at start). The engine keeps
 * records in ArrayBuffers — columns and payload slabs, up to 128 MiB of data — and V8 counts every
 * ArrayBuffer allocated as growth of the old generation: with a JavaScript heap of ~20 MB and V8's own
 * growing factor, every ~13 MB of records stored started a full collection. Measured on the endpoint bench
 * (500-entry PutRecords of 100-byte records over 500 shards, 8 s): 41–46 full collections, each ~14 ms on the
 * event loop plus ~28 ms of marking on another core; with 4×: 7–10. The cost is memory: up to ~3× the live
 * JavaScript heap (tens of MB) may be garbage awaiting collection.
 */
export function tuneGarbageCollection(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

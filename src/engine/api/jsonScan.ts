/** What the PutRecords body readers (putRecordsBody.ts on text, putRecordsBytes.ts on bytes) share. */

/** JSON's structural characters, as code units (and bytes: they are ASCII). */
export const QUOTE = 34;
export const BACKSLASH = 92;
export const COMMA = 44;
export const COLON = 58;
export const OPEN_OBJECT = 123;
export const CLOSE_OBJECT = 125;
export const OPEN_ARRAY = 91;
export const CLOSE_ARRAY = 93;

/**
 * The code units [start, end) of `text` as a string of their own. V8 makes a slice of 13 or more code units
 * a view of its parent, which would keep a whole request body (up to 10 MiB) alive for as long as an engine
 * table keeps the key (hot keys, a chunk's non-ASCII keys); flattening the slice joined to one more character
 * copies it, and the slice of that copy refers to the copy only.
 */
export function copyOf(text: string, start: number, end: number): string {
  const slice = text.slice(start, end);
  return end - start < 13 ? slice : `${slice} `.slice(0, -1);
}

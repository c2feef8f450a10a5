/** Typed arrays the engine grows as what it holds grows. */
type GrowableArray = Float64Array | Uint32Array | Int32Array | Uint8Array;

/**
 * A typed array of the same kind with room for `length` elements, holding `array`'s elements at the start
 * (the rest zero). `length` must be at least `array.length`.
 */
export function grown<T extends GrowableArray>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

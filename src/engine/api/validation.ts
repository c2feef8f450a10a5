import { errors, KinesisError } from '../errors';
import { base64Problem, decodeBase64Checked } from './base64';
import type { ListShape, Shape, StructureShape } from './shape';

/** A request whose members have their model types: strings, numbers, booleans, Uint8Array blobs, lists, objects. */
export type TypedRequest = Record<string, unknown>;

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * A structure's members as [Name, lowerCamel path segment, shape, the segment after a parent ('.' + it)],
 * computed once per shape.
 */
type Member = readonly [string, string, Shape, string];
const MEMBERS = new WeakMap<StructureShape, readonly Member[]>();
function membersOf(shape: StructureShape): readonly Member[] {
  let members = MEMBERS.get(shape);
  if (members === undefined) {
    members = Object.entries(shape.members).map(
      ([name, member]) => [name, lowerFirst(name), member, `.${lowerFirst(name)}`] as const,
    );
    MEMBERS.set(shape, members);
  }
  return members;
}

/**
 * Checks JSON member types as Coral does, turning base64 blobs into bytes and dropping unknown and null
 * members. A mismatch is a SerializationException with Coral's text [model §3].
 */
export function checkTypes(raw: Record<string, unknown>, shape: StructureShape): TypedRequest {
  const out: TypedRequest = {};
  for (const [name, , member] of membersOf(shape)) {
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    if (value === null || value === undefined) continue;
    out[name] = checkType(value, member);
  }
  return out;
}

/** Coral's complaint about an object or array where a scalar was expected. */
function structural(value: unknown): KinesisError {
  return Array.isArray(value)
    ? errors.serialization('Start of list found where not expected')
    : errors.serialization('Start of structure or map found where not expected.');
}

function checkType(value: unknown, shape: Shape): unknown {
  switch (shape.type) {
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number')
        throw errors.serialization('class java.math.BigDecimal can not be converted to an Boolean');
      if (typeof value === 'string')
        throw errors.serialization(`'${value.toUpperCase()}' can not be converted to an Boolean`);
      throw structural(value);
    case 'Integer':
    case 'Long':
      if (typeof value === 'number') return Math.floor(value);
      if (typeof value === 'boolean')
        throw errors.serialization(`class java.lang.Boolean can not be converted to an ${shape.type}`);
      if (typeof value === 'string')
        throw errors.serialization(`class java.lang.String can not be converted to an ${shape.type}`);
      throw structural(value);
    case 'String':
      if (typeof value === 'string') return value;
      if (typeof value === 'boolean')
        throw errors.serialization('class java.lang.Boolean can not be converted to an String');
      if (typeof value === 'number')
        throw errors.serialization('class java.math.BigDecimal can not be converted to an String');
      throw structural(value);
    case 'Timestamp':
      if (typeof value === 'number') return value;
      if (typeof value === 'string') {
        const asNumber = Number(value);
        if (value.trim() !== '' && Number.isFinite(asNumber)) return asNumber;
        const parsed = Date.parse(value);
        if (Number.isFinite(parsed)) return parsed / 1000;
        throw errors.serialization(`Unable to parse date string '${value}'`);
      }
      if (typeof value === 'boolean')
        throw errors.serialization(
          'class java.lang.Boolean can not be converted to milliseconds since epoch',
        );
      throw structural(value);
    case 'Blob': {
      if (typeof value === 'boolean')
        throw errors.serialization('class java.lang.Boolean can not be converted to a Blob');
      if (typeof value === 'number')
        throw errors.serialization('class java.math.BigDecimal can not be converted to a Blob');
      if (typeof value !== 'string') throw structural(value);
      const bytes = decodeBase64Checked(value);
      if (bytes) return bytes;
      const problem = base64Problem(value) ?? 'Invalid Base64 character';
      throw errors.serialization(`'${value}' can not be converted to a Blob: ${problem}`);
    }
    case 'List':
      if (typeof value !== 'object') throw errors.serialization('Expected list or null');
      if (!Array.isArray(value))
        throw errors.serialization('Start of structure or map found where not expected.');
      return value.map((item) =>
        item === null || item === undefined ? null : checkType(item, shape.member),
      );
    case 'Map': {
      if (typeof value !== 'object') throw errors.serialization('Expected map or null');
      if (Array.isArray(value)) throw errors.serialization('Start of list found where not expected');
      // A Map, not an object: a key such as "__proto__" is a key like any other.
      const map = new Map<string, string>();
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === null || item === undefined) continue;
        map.set(key, checkType(item, MAP_VALUE) as string);
      }
      return map;
    }
    case 'Structure':
      if (typeof value !== 'object') throw errors.serialization('Expected null');
      if (Array.isArray(value)) throw errors.serialization('Start of list found where not expected');
      return checkTypes(value as Record<string, unknown>, shape);
  }
}

/** What a map's values are checked as (tags: strings). */
const MAP_VALUE: Shape = { type: 'String' };

const MAX_ERRORS = 10;

/**
 * Checks model constraints and returns Coral's ValidationException (at most 10 errors, `; `-joined, 1-based
 * list paths), or undefined when the request satisfies its shape [model §3].
 */
export function validateRequest(request: TypedRequest, shape: StructureShape): KinesisError | undefined {
  const found: string[] = [];
  checkMembers(request, shape, false, [], found);
  if (found.length === 0) return undefined;
  const count = Math.min(found.length, MAX_ERRORS);
  return new KinesisError(
    'ValidationException',
    `${count} validation error${count > 1 ? 's' : ''} detected: ${found.slice(0, MAX_ERRORS).join('; ')}`,
  );
}

/**
 * A member's path as Coral prints it, kept as segments and joined only when a check fails (a 500-entry
 * PutRecords would otherwise build 2,000 path strings per call): a string is a member segment, a number n a
 * list item (`.n.member`).
 */
type Path = (string | number)[];

function pathText(path: Path): string {
  let text = '';
  for (const segment of path) text += typeof segment === 'number' ? `.${segment}.member` : segment;
  return text;
}

function checkMembers(
  value: TypedRequest,
  shape: StructureShape,
  nested: boolean,
  path: Path,
  found: string[],
): void {
  for (const [name, lowered, member, dotted] of membersOf(shape)) {
    path.push(nested ? dotted : lowered);
    checkMember(value[name], member, path, found);
    path.pop();
  }
}

function describeValue(value: unknown, shape: Shape): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array)
    return `'java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]'`;
  // Java's Map.toString, as Coral prints a map.
  if (value instanceof Map) return `'{${[...value].map(([key, item]) => `${key}=${item}`).join(', ')}}'`;
  if (Array.isArray(value)) {
    const memberString = (shape as ListShape).memberString;
    return `'[${value.map((item) => memberString ?? String(item)).join(', ')}]'`;
  }
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

/** Compiled model patterns, anchored as Coral applies them. */
const PATTERNS = new Map<string, RegExp>();
function patternOf(pattern: string): RegExp {
  let compiled = PATTERNS.get(pattern);
  if (compiled === undefined) {
    compiled = new RegExp(`^(?:${pattern})$`);
    PATTERNS.set(pattern, compiled);
  }
  return compiled;
}

/** Records one constraint failure (Coral lists at most MAX_ERRORS). */
function fail(found: string[], value: unknown, shape: Shape, path: Path, rule: string): void {
  if (found.length < MAX_ERRORS)
    found.push(
      `Value ${describeValue(value, shape)} at '${pathText(path)}' failed to satisfy constraint: ${rule}`,
    );
}

// No closures here: validation runs on every call and should not allocate when all is well.
/** The length rules Coral applies alike to strings, blobs and lists. */
function checkLength(
  length: number,
  shape: Extract<Shape, { type: 'String' | 'Blob' | 'List' | 'Map' }>,
  value: unknown,
  path: Path,
  found: string[],
): void {
  if (shape.minLength !== undefined && length < shape.minLength) {
    fail(found, value, shape, path, `Member must have length greater than or equal to ${shape.minLength}`);
  }
  if (shape.maxLength !== undefined && length > shape.maxLength) {
    fail(found, value, shape, path, `Member must have length less than or equal to ${shape.maxLength}`);
  }
}

const fits = (length: number, bounds: { min: number; max: number }) =>
  length >= bounds.min && length <= bounds.max;

/** Coral's wording of a length constraint on each element (or key, or value) of a list or map. */
const lengthRules = (bounds: { min: number; max: number }) =>
  `Member must have length less than or equal to ${bounds.max}, Member must have length greater than or equal to ${bounds.min}`;

function checkMember(value: unknown, shape: Shape, path: Path, found: string[]): void {
  if (value === null || value === undefined) {
    if (shape.notNull) fail(found, value, shape, path, 'Member must not be null');
    return;
  }
  switch (shape.type) {
    case 'String': {
      const text = value as string;
      if (shape.pattern !== undefined && !patternOf(shape.pattern).test(text)) {
        fail(found, value, shape, path, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      checkLength(text.length, shape, value, path, found);
      if (shape.enum !== undefined && !shape.enum.includes(text)) {
        fail(found, value, shape, path, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      return;
    }
    case 'Integer':
    case 'Long': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min)
        fail(found, value, shape, path, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max)
        fail(found, value, shape, path, `Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'Blob': {
      checkLength((value as Uint8Array).length, shape, value, path, found);
      return;
    }
    case 'List': {
      const items = value as unknown[];
      checkLength(items.length, shape, value, path, found);
      const lengths = shape.memberLength;
      if (lengths && items.some((item) => typeof item === 'string' && !fits(item.length, lengths)))
        fail(found, value, shape, path, `Member must satisfy constraint: [${lengthRules(lengths)}]`);
      for (let i = 0; i < items.length; i++) {
        path.push(i + 1);
        checkMember(items[i], shape.member, path, found);
        path.pop();
      }
      return;
    }
    case 'Map': {
      const map = value as Map<string, string>;
      checkLength(map.size, shape, value, path, found);
      if ([...map.keys()].some((key) => !fits(key.length, shape.keyLength)))
        fail(
          found,
          value,
          shape,
          path,
          `Map keys must satisfy constraint: [${lengthRules(shape.keyLength)}]`,
        );
      if ([...map.values()].some((item) => !fits(item.length, shape.valueLength)))
        fail(
          found,
          value,
          shape,
          path,
          `Map value must satisfy constraint: [${lengthRules(shape.valueLength)}]`,
        );
      return;
    }
    case 'Structure':
      checkMembers(value as TypedRequest, shape, true, path, found);
      return;
    case 'Boolean':
    case 'Timestamp':
      return;
  }
}

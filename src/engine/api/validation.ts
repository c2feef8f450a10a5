import { errors, KinesisError } from '../errors';
import { base64Problem, decodeBase64 } from './base64';
import type { ListShape, Shape, StructureShape } from './shape';

/** A request whose members have their model types: strings, numbers, booleans, Uint8Array blobs, lists, objects. */
export type TypedRequest = Record<string, unknown>;

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Checks JSON member types as Coral does, turning base64 blobs into bytes and dropping unknown and null
 * members. A mismatch is a SerializationException with Coral's text [model §3].
 */
export function checkTypes(raw: Record<string, unknown>, shape: StructureShape): TypedRequest {
  const out: TypedRequest = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    if (value === null || value === undefined) continue;
    out[name] = checkType(value, member);
  }
  return out;
}

function checkType(value: unknown, shape: Shape): unknown {
  const structural = (): KinesisError =>
    Array.isArray(value)
      ? errors.serialization('Start of list found where not expected')
      : errors.serialization('Start of structure or map found where not expected.');
  switch (shape.type) {
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number')
        throw errors.serialization('class java.math.BigDecimal can not be converted to an Boolean');
      if (typeof value === 'string')
        throw errors.serialization(`'${value.toUpperCase()}' can not be converted to an Boolean`);
      throw structural();
    case 'Integer':
    case 'Long':
      if (typeof value === 'number') return Math.floor(value);
      if (typeof value === 'boolean')
        throw errors.serialization(`class java.lang.Boolean can not be converted to an ${shape.type}`);
      if (typeof value === 'string')
        throw errors.serialization(`class java.lang.String can not be converted to an ${shape.type}`);
      throw structural();
    case 'String':
      if (typeof value === 'string') return value;
      if (typeof value === 'boolean')
        throw errors.serialization('class java.lang.Boolean can not be converted to an String');
      if (typeof value === 'number')
        throw errors.serialization('class java.math.BigDecimal can not be converted to an String');
      throw structural();
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
      throw structural();
    case 'Blob': {
      if (typeof value === 'boolean')
        throw errors.serialization('class java.lang.Boolean can not be converted to a Blob');
      if (typeof value === 'number')
        throw errors.serialization('class java.math.BigDecimal can not be converted to a Blob');
      if (typeof value !== 'string') throw structural();
      const problem = base64Problem(value);
      if (problem) throw errors.serialization(`'${value}' can not be converted to a Blob: ${problem}`);
      return decodeBase64(value);
    }
    case 'List':
      if (typeof value !== 'object') throw errors.serialization('Expected list or null');
      if (!Array.isArray(value))
        throw errors.serialization('Start of structure or map found where not expected.');
      return value.map((item) =>
        item === null || item === undefined ? null : checkType(item, shape.member),
      );
    case 'Structure':
      if (typeof value !== 'object') throw errors.serialization('Expected null');
      if (Array.isArray(value)) throw errors.serialization('Start of list found where not expected');
      return checkTypes(value as Record<string, unknown>, shape);
  }
}

const MAX_ERRORS = 10;

/**
 * Checks model constraints and returns Coral's ValidationException (at most 10 errors, `; `-joined, 1-based
 * list paths), or undefined when the request satisfies its shape [model §3].
 */
export function validateRequest(request: TypedRequest, shape: StructureShape): KinesisError | undefined {
  const found: string[] = [];
  checkMembers(request, shape, '', found);
  if (found.length === 0) return undefined;
  const count = Math.min(found.length, MAX_ERRORS);
  return new KinesisError(
    'ValidationException',
    `${count} validation error${count > 1 ? 's' : ''} detected: ${found.slice(0, MAX_ERRORS).join('; ')}`,
  );
}

function checkMembers(value: TypedRequest, shape: StructureShape, parent: string, found: string[]): void {
  for (const [name, member] of Object.entries(shape.members)) {
    checkMember(value[name], member, parent + lowerFirst(name), found);
  }
}

function describeValue(value: unknown, shape: Shape): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array)
    return `'java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]'`;
  if (Array.isArray(value)) {
    const memberString = (shape as ListShape).memberString;
    return `'[${value.map((item) => memberString ?? String(item)).join(', ')}]'`;
  }
  if (typeof value === 'object') return `'${JSON.stringify(value)}'`;
  return `'${String(value)}'`;
}

function checkMember(value: unknown, shape: Shape, path: string, found: string[]): void {
  const fail = (rule: string) => {
    if (found.length < MAX_ERRORS)
      found.push(`Value ${describeValue(value, shape)} at '${path}' failed to satisfy constraint: ${rule}`);
  };
  if (value === null || value === undefined) {
    if (shape.notNull) fail('Member must not be null');
    return;
  }
  switch (shape.type) {
    case 'String': {
      const text = value as string;
      if (shape.pattern !== undefined && !new RegExp(`^(?:${shape.pattern})$`).test(text)) {
        fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.minLength !== undefined && text.length < shape.minLength) {
        fail(`Member must have length greater than or equal to ${shape.minLength}`);
      }
      if (shape.maxLength !== undefined && text.length > shape.maxLength) {
        fail(`Member must have length less than or equal to ${shape.maxLength}`);
      }
      if (shape.enum !== undefined && !shape.enum.includes(text)) {
        fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      return;
    }
    case 'Integer':
    case 'Long': {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min)
        fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max)
        fail(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'Blob': {
      const length = (value as Uint8Array).length;
      if (shape.minLength !== undefined && length < shape.minLength) {
        fail(`Member must have length greater than or equal to ${shape.minLength}`);
      }
      if (shape.maxLength !== undefined && length > shape.maxLength) {
        fail(`Member must have length less than or equal to ${shape.maxLength}`);
      }
      return;
    }
    case 'List': {
      const items = value as unknown[];
      if (shape.minLength !== undefined && items.length < shape.minLength) {
        fail(`Member must have length greater than or equal to ${shape.minLength}`);
      }
      if (shape.maxLength !== undefined && items.length > shape.maxLength) {
        fail(`Member must have length less than or equal to ${shape.maxLength}`);
      }
      items.forEach((item, i) => {
        checkMember(item, shape.member, `${path}.${i + 1}.member`, found);
      });
      return;
    }
    case 'Structure':
      checkMembers(value as TypedRequest, shape, `${path}.`, found);
      return;
    case 'Boolean':
    case 'Timestamp':
      return;
  }
}

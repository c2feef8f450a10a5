import type { ShardEngine } from '../engine';
import { errors, KinesisError } from '../errors';
import { API_VERSION_PREFIX } from '../limits';
import { encodeBase64 } from './base64';
import { isOperationName, OPERATION_SHAPES, type OperationName } from './operations';
import { readPutRecordsBody } from './putRecordsBody';
import { checkTypes } from './validation';

/** An HTTP response as Kinesis would send it: status and JSON body (empty for operations with no output). */
export interface WireResponse {
  status: number;
  body: string;
}

/**
 * Operations whose success response has an empty body [model §11]: those without an output shape in the API
 * model (the SDK declares no `…Output` for them).
 */
const NO_OUTPUT: ReadonlySet<OperationName> = new Set([
  'CreateStream',
  'DeleteStream',
  'IncreaseStreamRetentionPeriod',
  'DecreaseStreamRetentionPeriod',
  'UpdateMaxRecordSize',
  'SplitShard',
  'MergeShards',
  'UpdateStreamMode',
  'UpdateStreamRecordDistributionStrategy',
  'AddTagsToStream',
  'RemoveTagsFromStream',
]);

const errorResponse = (error: KinesisError): WireResponse => ({
  status: error.status,
  body: JSON.stringify(error.toBody()),
});

/** Blobs go out as base64, as awsJson1_1 requires. */
function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? encodeBase64(v) : v));
}

/** A PutRecords answer: `{FailedRecordCount, Records}`, each record a success or a failure entry. */
interface PutRecordsOutput {
  FailedRecordCount: number;
  Records: ({ SequenceNumber: string; ShardId: string } | { ErrorCode: string; ErrorMessage: string })[];
}

/**
 * The PutRecords answer as JSON, the same text JSON.stringify writes, built by concatenation: a 500-entry
 * answer is the endpoint's largest per-record cost after parsing, and its success entries hold only digits and
 * ShardIds (`[a-zA-Z0-9_.-]`), which need no escaping. Failure entries, whose messages carry stream names,
 * go through JSON.stringify.
 */
export function putRecordsJson(output: PutRecordsOutput): string {
  // Starts with ALL_WRITTEN exactly when no entry failed (putRecordsAnswerHasFailures reads it).
  let json = `{"FailedRecordCount":${output.FailedRecordCount},"Records":[`;
  const records = output.Records;
  for (let i = 0; i < records.length; i++) {
    const entry = records[i] as PutRecordsOutput['Records'][number];
    if (i > 0) json += ',';
    json +=
      'SequenceNumber' in entry && SAFE_TEXT.test(entry.ShardId)
        ? `{"SequenceNumber":"${entry.SequenceNumber}","ShardId":"${entry.ShardId}"}`
        : JSON.stringify(entry);
  }
  return `${json}]}`;
}

const ALL_WRITTEN = '{"FailedRecordCount":0,';

/**
 * Whether a successful PutRecords answer (putRecordsJson's text) has failed entries, read from its first
 * bytes: the caller that looks for a failure's type searches a 500-entry (~45 KB) answer only when one failed.
 */
export function putRecordsAnswerHasFailures(body: string): boolean {
  return !body.startsWith(ALL_WRITTEN);
}

/** Text JSON writes as it is (no quote, backslash or control character to escape). */
const SAFE_TEXT = /^[a-zA-Z0-9_.-]*$/;

/** Records a refused request attempted: none for a dry run, which never attempts one. */
function attemptedRecords(operation: string, parsed: unknown): number {
  if (typeof parsed !== 'object' || parsed === null) return operation === 'PutRecord' ? 1 : 0;
  if ((parsed as { DryRun?: unknown }).DryRun === true) return 0;
  if (operation === 'PutRecord') return 1;
  if (operation === 'PutRecords') {
    const records = (parsed as { Records?: unknown }).Records;
    return Array.isArray(records) ? records.length : 0;
  }
  return 0;
}

/**
 * One Kinesis API call in wire form (awsJson1_1): `X-Amz-Target` and the request body. Checks run in
 * Kinesis's order: operation, JSON, member types (SerializationException), constraints (ValidationException),
 * then the operation. Never throws; an unexpected fault is an InternalFailure (HTTP 500).
 */
export function dispatchWire(engine: ShardEngine, target: string, body: string): WireResponse {
  engine.settle();
  let operation = '';
  let parsed: unknown;
  try {
    const dot = typeof target === 'string' ? target.indexOf('.') : -1;
    const service = dot >= 0 ? target.slice(0, dot) : target;
    operation = dot >= 0 ? target.slice(dot + 1) : '';
    const known = service === API_VERSION_PREFIX && isOperationName(operation);
    if (typeof body !== 'string' || body === '') {
      return errorResponse(known ? errors.serialization() : errors.unknownOperation());
    }
    const name = operation as OperationName;
    // PutRecords bodies in the usual form are read without a JSON tree; any other body, or a PutRecords one
    // the reader leaves, takes the general path, which answers it the same.
    let typed = known && name === 'PutRecords' ? readPutRecordsBody(body) : undefined;
    if (typed === undefined) {
      try {
        parsed = JSON.parse(body);
      } catch {
        return errorResponse(errors.serialization());
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return errorResponse(errors.serialization());
      if (!known) return errorResponse(errors.unknownOperation());
      try {
        typed = checkTypes(parsed as Record<string, unknown>, OPERATION_SHAPES[name]);
      } catch (error) {
        engine.countRejected(attemptedRecords(name, parsed), parsed as Record<string, unknown>);
        if (error instanceof KinesisError) return errorResponse(error);
        throw error;
      }
    }
    const result = engine.call(name, typed);
    if (!result.ok) return errorResponse(result.error);
    if (NO_OUTPUT.has(name)) return { status: 200, body: '' };
    // Only GetRecords returns blobs; the others skip the (slow) replacer.
    return {
      status: 200,
      body:
        name === 'GetRecords'
          ? toWireJson(result.value)
          : name === 'PutRecords'
            ? putRecordsJson(result.value as unknown as PutRecordsOutput)
            : JSON.stringify(result.value),
    };
  } catch {
    return errorResponse(errors.internalFailure());
  }
}

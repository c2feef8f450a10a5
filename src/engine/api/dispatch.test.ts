import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { putRecordsAnswerHasFailures, putRecordsJson } from './dispatch';

describe('putRecordsJson', () => {
  it('writes exactly what JSON.stringify writes, for successes, failures and any text in them', () => {
    const success = fc.record({
      SequenceNumber: fc.stringMatching(/^[0-9]{1,56}$/),
      ShardId: fc.oneof(fc.stringMatching(/^shardId-[0-9]{12}$/), fc.string()),
    });
    const failure = fc.record({ ErrorCode: fc.string(), ErrorMessage: fc.string() });
    fc.assert(
      fc.property(fc.array(fc.oneof(success, failure), { maxLength: 20 }), fc.nat(500), (records, failed) => {
        const output = { FailedRecordCount: failed, Records: records };
        expect(putRecordsJson(output)).toBe(JSON.stringify(output));
        expect(putRecordsAnswerHasFailures(putRecordsJson(output))).toBe(failed > 0);
      }),
    );
  });
});

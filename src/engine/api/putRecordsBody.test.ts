import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KinesisError } from '../errors';
import { OPERATION_SHAPES } from './operations';
import { readPutRecordsBody } from './putRecordsBody';
import { checkTypes, type TypedRequest } from './validation';

/** What the general path makes of a body: the typed request, or the error it answers. */
function generalPath(body: string): TypedRequest | KinesisError | 'not an object' {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'not an object';
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'not an object';
  try {
    return checkTypes(parsed as Record<string, unknown>, OPERATION_SHAPES.PutRecords);
  } catch (error) {
    if (error instanceof KinesisError) return error;
    throw error;
  }
}

const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const space = fc.constantFrom('', '', '', ' ', '\n', '\t ', '\r\n  ');
/** Strings a client may send as keys or names: any code units, JSON escapes among them once encoded. */
const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

/**
 * JSON text of a string as one client or another writes it: JSON.stringify's, or with every code unit past
 * ASCII as `\uxxxx` (Python's json.dumps, so the AWS CLI and boto3) or `\uXXXX`, and `/` as `\/`.
 */
const jsonStringArb = (value: string) =>
  fc.constantFrom('js', 'ascii', 'ASCII', 'slash').map((style) => {
    const text = JSON.stringify(value);
    if (style === 'js') return text;
    if (style === 'slash') return text.replaceAll('/', '\\/');
    return text.replace(/[\u007f-\uffff]/g, (c) => {
      const hex = (c.charCodeAt(0) as number).toString(16).padStart(4, '0');
      return `\\u${style === 'ascii' ? hex : hex.toUpperCase()}`;
    });
  });

/** A body as a client writes it (JSON.stringify), members in the order given, with whitespace around tokens. */
function bodyText(members: [string, string][], spaces: string[]): string {
  let i = 0;
  const s = () => spaces[i++ % spaces.length] ?? '';
  return `${s()}{${members.map(([name, value]) => `${s()}${JSON.stringify(name)}${s()}:${s()}${value}`).join(`${s()},`)}${s()}}${s()}`;
}

const entryArb = fc
  .record(
    {
      PartitionKey: anyText,
      Data: fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map(base64Of),
        // Not always base64: the general path's SerializationException then answers.
        fc.constantFrom('aGk=', 'aGl=', '====', 'a', 'aGk\\u003d', 'aG\\/k', ''),
      ),
      ExplicitHashKey: fc.oneof(
        fc.constant('0'),
        fc.bigInt({ min: 0n, max: 2n ** 129n }).map(String),
        anyText,
      ),
      Extra: fc.constantFrom('null', '1', 'true', '"x"', '[]', '{}'),
    },
    { requiredKeys: [] },
  )
  .chain((entry) =>
    fc
      .tuple(
        fc.shuffledSubarray(Object.keys(entry), { minLength: Object.keys(entry).length }),
        jsonStringArb(entry.PartitionKey ?? ''),
        jsonStringArb(entry.ExplicitHashKey ?? ''),
      )
      .map(([order, partitionKey, explicitHashKey]) =>
        order.map((name): [string, string] => {
          const value = entry[name as keyof typeof entry] as string;
          if (name === 'Extra') return ['Unknown', value];
          if (name === 'PartitionKey') return [name, partitionKey];
          if (name === 'ExplicitHashKey') return [name, explicitHashKey];
          return [name, JSON.stringify(value)];
        }),
      ),
  );

describe('readPutRecordsBody', () => {
  it('reads any body either as the general path does, or not at all', () => {
    const body = fc
      .record(
        {
          Records: fc.array(
            fc.oneof({ weight: 9, arbitrary: entryArb }, { weight: 1, arbitrary: fc.constant(null) }),
            {
              maxLength: 6,
            },
          ),
          StreamName: fc.oneof(anyText, fc.constant('clicks')),
          StreamARN: fc.constant('arn:aws:kinesis:us-east-1:123456789012:stream/clicks'),
          DryRun: fc.boolean(),
        },
        { requiredKeys: [] },
      )
      .chain((request) =>
        fc
          .tuple(
            fc.shuffledSubarray(Object.keys(request), { minLength: Object.keys(request).length }),
            fc.array(space, { minLength: 1, maxLength: 8 }),
          )
          .map(([order, spaces]) =>
            bodyText(
              order.map((name): [string, string] => {
                const value = request[name as keyof typeof request];
                if (name !== 'Records') return [name, JSON.stringify(value)];
                const entries = value as ([string, string][] | null)[];
                return [
                  name,
                  `[${entries.map((entry) => (entry === null ? 'null' : bodyText(entry, spaces))).join(',')}]`,
                ];
              }),
              spaces,
            ),
          ),
      );
    let read = 0;
    fc.assert(
      fc.property(body, (text) => {
        const fast = readPutRecordsBody(text);
        if (fast === undefined) return;
        read++;
        expect(generalPath(text)).toEqual(fast);
        // The same members, in the same order, as checkTypes writes them.
        const general = generalPath(text) as TypedRequest;
        expect(Object.keys(fast)).toEqual(Object.keys(general));
        const entries = (fast.Records ?? []) as TypedRequest[];
        for (const [i, entry] of entries.entries())
          expect(Object.keys(entry)).toEqual(
            Object.keys((general.Records as TypedRequest[])[i] as TypedRequest),
          );
      }),
      { numRuns: 3000 },
    );
    // The property says something only if many bodies are read: most generated ones are plain.
    expect(read).toBeGreaterThan(50);
  });

  it('reads what the AWS SDKs, the AWS CLI and boto3 send, whatever the keys hold', () => {
    const entry = fc
      .record({ PartitionKey: anyText, Data: fc.uint8Array({ maxLength: 200 }) })
      .chain(({ PartitionKey, Data }) =>
        jsonStringArb(PartitionKey).map((key) => `{"Data":"${base64Of(Data)}","PartitionKey":${key}}`),
      );
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 20 }), (entries) => {
        const text = `{"Records":[${entries.join(',')}],"StreamName":"clicks"}`;
        // Keys with escapes too: a quote, a backslash, a control character, a lone surrogate, \uXXXX.
        const fast = readPutRecordsBody(text);
        expect(fast).toEqual(generalPath(text));
        expect(fast?.Records).toHaveLength(entries.length);
      }),
      { numRuns: 500 },
    );
  });

  it('reads keys as the AWS CLI and boto3 write them: every non-ASCII character a \\u escape', () => {
    const body =
      '{"Records": [{"Data": "aGk=", "PartitionKey": "\\u00e9t\\u00E9 \\ud83d\\ude00 \\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t"}], "StreamName": "s"}';
    expect(readPutRecordsBody(body)).toEqual({
      Records: [{ PartitionKey: 'été 😀 "q" \\ / \b\f\n\r\t', Data: new Uint8Array([104, 105]) }],
      StreamName: 's',
    });
    expect(readPutRecordsBody(body)).toEqual(generalPath(body));
  });

  it('leaves every other body to the general path', () => {
    const good = '{"Records":[{"Data":"aGk=","PartitionKey":"k"}],"StreamName":"s"}';
    expect(readPutRecordsBody(good)).toEqual({
      Records: [{ PartitionKey: 'k', Data: new Uint8Array([104, 105]) }],
      StreamName: 's',
    });
    for (const body of [
      '',
      ' ',
      '[]',
      'null',
      '{',
      `${good}x`,
      `${good},`,
      `\uFEFF${good}`,
      '{"Records":[{"Data":"aGk=","PartitionKey":"k"}],"StreamName":"s","StreamName":"t"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k","PartitionKey":"j"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k\\u004"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k\\u00G1"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k\\x41"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k\\"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k\\u0041\u0001"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","Partition\\u004bey":"k"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":1}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":null}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k"},],"StreamName":"s"}',
      '{"Records":[{"Data":"aGl=","PartitionKey":"k"}],"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k"}],"StreamName":"s","DryRun":true}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k"}],"StreamName":"s","__proto__":"x"}',
      '{"Records":{},"StreamName":"s"}',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k"}],"StreamName":"s"',
      '{"Records":[{"Data":"aGk=","PartitionKey":"k\u0001"}],"StreamName":"s"}',
    ])
      expect(readPutRecordsBody(body), body).toBeUndefined();
  });
});

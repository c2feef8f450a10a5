// @vitest-environment node
// The AWS CLI v2 (`/usr/bin/aws`, Debian's awscli) and boto3 (Debian's python3-boto3 under /usr/bin/python3)
// against a started server, as a person would drive them [model §11: botocore speaks awsJson1_1 only].
// `npm test` installs both (scripts/ensure.mjs); without them these tests fail, they are never skipped.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine';
import { type ShardlabServer, startServer } from './server';
import { Session } from './session';

const AWS = '/usr/bin/aws';
const PYTHON = '/usr/bin/python3';
const ACCOUNT = '000000000000';
const TARGET = 'Kinesis_20131202.';
const STREAM = 'cli-stream';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let session: Session;
let server: ShardlabServer;
let endpoint: string;
let home: string;
let env: NodeJS.ProcessEnv;
let missing: string[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program without blocking this process (the server under test answers from the same event loop). */
function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 20_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({
        code,
        stdout,
        stderr: stderr || (error && typeof error.code !== 'number' ? error.message : ''),
      });
    });
  });
}

const aws = (...args: string[]) =>
  run(AWS, ['kinesis', ...args, '--endpoint-url', endpoint, '--output', 'json', '--no-cli-pager']);

/** What is missing to run these tests, with how to install it; empty when both clients are there. */
async function missingClients(): Promise<string[]> {
  const absent: string[] = [];
  if (!existsSync(AWS)) absent.push(`${AWS} (Debian package awscli)`);
  if (!existsSync(PYTHON)) absent.push(`${PYTHON} (Debian package python3)`);
  else {
    const boto = await run(PYTHON, ['-c', 'import boto3']);
    if (boto.code !== 0)
      absent.push(`boto3 for ${PYTHON} (Debian package python3-boto3): ${boto.stderr.trim()}`);
  }
  return absent;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'shardlab-cli-'));
  writeFileSync(join(home, 'config'), '');
  writeFileSync(join(home, 'credentials'), '');
  // Nothing of this machine's AWS setup or Python environment (pyenv, PYTHONPATH) reaches the clients.
  env = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_PAGER: '',
  };
  missing = await missingClients();
  session = new Session();
  server = await startServer({ session, port: 0 });
  session.start();
  endpoint = `http://127.0.0.1:${server.port}`;
}, 30_000);

afterAll(async () => {
  await server?.close();
  session?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A fresh in-process engine with the same stream layout, ACTIVE. */
function engineWithStream(shardCount: number) {
  const engine = createEngine();
  engine.dispatch(`${TARGET}CreateStream`, JSON.stringify({ StreamName: STREAM, ShardCount: shardCount }));
  engine.advanceTime(engine.core.transitionMs);
  return engine;
}

/**
 * A test that first requires both clients: without them it fails (every one of them, never skipped) and
 * says what to install.
 */
function clientTest(name: string, body: () => Promise<void>): void {
  it(name, async () => {
    if (missing.length > 0)
      throw new Error(
        [
          'The real-client tests need the AWS CLI v2 and boto3, and these are missing:',
          ...missing.map((m) => `  - ${m}`),
          'Install them (`sudo apt-get install -y awscli python3-boto3`), or run `npm test`, which installs',
          'them when it runs as root.',
        ].join('\n'),
      );
    await body();
  });
}

interface Summary {
  StreamDescriptionSummary: { StreamStatus: string; OpenShardCount: number; StreamCreationTimestamp: string };
}

describe('the AWS CLI v2 and boto3 against the endpoint', () => {
  clientTest('is the AWS CLI v2, which reads --data as base64', async () => {
    const version = await run(AWS, ['--version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toMatch(/^aws-cli\/2\./);
  });

  clientTest('create-stream, then describe-stream-summary until ACTIVE', async () => {
    const created = await aws('create-stream', '--stream-name', STREAM, '--shard-count', '2');
    expect(created, created.stderr).toMatchObject({ code: 0, stdout: '' });
    let summary: Summary | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      const described = await aws('describe-stream-summary', '--stream-name', STREAM);
      expect(described.code, described.stderr).toBe(0);
      summary = JSON.parse(described.stdout) as Summary;
      if (summary.StreamDescriptionSummary.StreamStatus === 'ACTIVE') break;
      await sleep(100);
    }
    expect(summary?.StreamDescriptionSummary).toMatchObject({
      StreamName: STREAM,
      StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${STREAM}`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 24,
      OpenShardCount: 2,
      EncryptionType: 'NONE',
      ConsumerCount: 0,
    });
    // botocore parsed the epoch-seconds number into a date and printed it in ISO 8601.
    const createdAt = Date.parse(summary?.StreamDescriptionSummary.StreamCreationTimestamp ?? '');
    expect(createdAt).toBeGreaterThan(Date.UTC(2000, 0, 1));
  });

  clientTest('put-record --data aGk= lands on the engine’s shard', async () => {
    const put = await aws(
      'put-record',
      '--stream-name',
      STREAM,
      '--partition-key',
      'cli-key',
      '--data',
      'aGk=',
    );
    expect(put.code, put.stderr).toBe(0);
    const answer = JSON.parse(put.stdout) as { ShardId: string; SequenceNumber: string };
    const expected = JSON.parse(
      engineWithStream(2).dispatch(
        `${TARGET}PutRecord`,
        JSON.stringify({ StreamName: STREAM, PartitionKey: 'cli-key', Data: 'aGk=' }),
      ).body,
    ) as { ShardId: string };
    expect(answer.ShardId).toBe(expected.ShardId);
    expect(answer.SequenceNumber).toMatch(/^\d{56}$/);
  });

  clientTest('list-shards gives the layout an in-process engine gives', async () => {
    const listed = await aws('list-shards', '--stream-name', STREAM);
    expect(listed.code, listed.stderr).toBe(0);
    const { Shards } = JSON.parse(listed.stdout) as { Shards: Array<Record<string, unknown>> };
    const expected = JSON.parse(
      engineWithStream(2).dispatch(`${TARGET}ListShards`, JSON.stringify({ StreamName: STREAM })).body,
    ) as { Shards: Array<Record<string, unknown>> };
    const layout = (shards: Array<Record<string, unknown>>) =>
      shards.map(({ ShardId, HashKeyRange, ParentShardId }) => ({ ShardId, HashKeyRange, ParentShardId }));
    expect(layout(Shards)).toEqual(layout(expected.Shards));
    expect(Shards.map((s) => Object.keys(s))).toEqual(expected.Shards.map((s) => Object.keys(s)));
    expect(Shards[1]?.HashKeyRange).toEqual({
      StartingHashKey: '170141183460469231731687303715884105728',
      EndingHashKey: '340282366920938463463374607431768211455',
    });
  });

  clientTest('add-tags-to-stream, list-tags-for-stream and remove-tags-from-stream', async () => {
    const added = await aws('add-tags-to-stream', '--stream-name', STREAM, '--tags', 'team=blue,env=dev');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout.trim()).toBe('');
    const removed = await aws('remove-tags-from-stream', '--stream-name', STREAM, '--tag-keys', 'env');
    expect(removed.code, removed.stderr).toBe(0);
    const listed = await aws('list-tags-for-stream', '--stream-name', STREAM);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ Tags: [{ Key: 'team', Value: 'blue' }], HasMoreTags: false });
  });

  clientTest('an error exits 254 with the error type and Kinesis’s message', async () => {
    const failed = await aws('describe-stream-summary', '--stream-name', 'no-such-stream');
    expect(failed.code).toBe(254);
    expect(failed.stderr.trim()).toBe(
      `An error occurred (ResourceNotFoundException) when calling the DescribeStreamSummary operation: Stream no-such-stream under account ${ACCOUNT} not found.`,
    );
  });

  clientTest('boto3 put_records then get_records reads back every record, the CLI’s too', async () => {
    const script = `
import base64, json, sys
import boto3
from botocore.config import Config

endpoint, stream = sys.argv[1], sys.argv[2]
client = boto3.client('kinesis', endpoint_url=endpoint, config=Config(retries={'max_attempts': 1}))
records = [{'Data': bytes([i, 255 - i]) + ('rec-%d' % i).encode(), 'PartitionKey': 'key-%d' % i} for i in range(20)]
put = client.put_records(StreamName=stream, Records=records)
out = {
    'failed': put['FailedRecordCount'],
    'put': [{'shard': r.get('ShardId'), 'seq': r.get('SequenceNumber')} for r in put['Records']],
    'read': [],
}
for shard in client.list_shards(StreamName=stream)['Shards']:
    iterator = client.get_shard_iterator(
        StreamName=stream, ShardId=shard['ShardId'], ShardIteratorType='TRIM_HORIZON')['ShardIterator']
    got = client.get_records(ShardIterator=iterator, Limit=1000)
    out['millisBehind'] = got['MillisBehindLatest']
    for r in got['Records']:
        out['read'].append({
            'shard': shard['ShardId'],
            'seq': r['SequenceNumber'],
            'key': r['PartitionKey'],
            'data': base64.b64encode(r['Data']).decode(),
            'arrival': r['ApproximateArrivalTimestamp'].timestamp(),
        })
try:
    client.describe_stream_summary(StreamName='no-such-stream')
except client.exceptions.ResourceNotFoundException as error:
    out['error'] = {
        'code': error.response['Error']['Code'],
        'message': error.response['Error']['Message'],
        'status': error.response['ResponseMetadata']['HTTPStatusCode'],
    }
print(json.dumps(out))
`;
    const result = await run(PYTHON, ['-c', script, endpoint, STREAM]);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as {
      failed: number;
      put: Array<{ shard: string; seq: string }>;
      read: Array<{ shard: string; seq: string; key: string; data: string; arrival: number }>;
      error: { code: string; message: string; status: number };
    };
    expect(out.failed).toBe(0);
    expect(out.put).toHaveLength(20);
    const bySequence = new Map(out.read.map((r) => [r.seq, r]));
    out.put.forEach((put, i) => {
      const read = bySequence.get(put.seq);
      expect(read, `record ${i}`).toMatchObject({
        shard: put.shard,
        key: `key-${i}`,
        data: Buffer.concat([Buffer.from([i, 255 - i]), Buffer.from(`rec-${i}`)]).toString('base64'),
      });
    });
    // The AWS CLI v2 sent --data aGk= as the two bytes "hi".
    expect(
      out.read.filter((r) => r.key === 'cli-key').map((r) => Buffer.from(r.data, 'base64').toString()),
    ).toEqual(['hi']);
    const nowSeconds = session.host.status().nowMs / 1000;
    for (const read of out.read) {
      expect(read.arrival).toBeLessThanOrEqual(nowSeconds);
      expect(read.arrival).toBeGreaterThan(nowSeconds - 60);
    }
    expect(out.error).toEqual({
      code: 'ResourceNotFoundException',
      message: `Stream no-such-stream under account ${ACCOUNT} not found.`,
      status: 400,
    });
  });
});

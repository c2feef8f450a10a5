// @vitest-environment node
// Every built-in lesson, run through the real SimulationHost step by step as a viewer would (Next, then
// Space until the step pauses): each step's pause condition is met, and what its caption claims holds.
import { describe, expect, it } from 'vitest';
import type { LessonStep } from '../../common/lesson';
import { type Scenario, scenarioSchema } from '../schema';
import { fillCaption, UNFILLED_SHARD, UNFILLED_TIME } from './captions';
import { LESSONS, type Lesson, lessonById, lessonScenario } from './curriculum';
import { lessonHost } from './lessonHarness';

type Harness = ReturnType<typeof lessonHost>;
/** A claim checked after step `i` settled, with what held before the step began. */
type Claim = (
  h: Harness,
  before: { throttled: Map<string, number>; accepted: Map<string, number>; retained: number },
) => void;
const retainedOf = (h: Harness) => h.snapshot().stream?.retainedRecords.reduce((a, n) => a + n, 0) ?? 0;

const diff = (after: Map<string, number>, before: Map<string, number>) =>
  new Map([...after].map(([id, n]) => [id, n - (before.get(id) ?? 0)]));
const positive = (m: Map<string, number>) => [...m].filter(([, n]) => n > 0).map(([id]) => id);
const pauseOf = (h: Harness) => h.snapshot().lesson?.pause;
const open = (h: Harness) => {
  const stream = h.snapshot().stream;
  return stream?.shards.filter((s) => s.isOpen).map((s) => s.shardId) ?? [];
};

/** The claims each lesson's captions make, step by step. */
const CLAIMS: Record<string, Claim[]> = {
  'md5-to-shard': [
    (h) => expect(open(h)).toHaveLength(4),
    (h) => {
      const outcome = h.snapshot().lesson?.outcomes[0];
      expect(outcome?.ok).toBe(true);
      expect(outcome?.shardId).toBe(h.shardOfKey('orders-1'));
    },
    (h) => expect(h.snapshot().lesson?.outcomes[0]?.shardId).toBe(h.shardOfKey('orders-1')),
    (h) => {
      expect(h.snapshot().lesson?.outcomes[0]?.shardId).toBe(h.shardOfKey('orders-2'));
      // This pair shows the point: one character apart, different shards.
      expect(h.shardOfKey('orders-2')).not.toBe(h.shardOfKey('orders-1'));
    },
  ],
  'uniform-vs-skewed': [
    (h, b) => expect(positive(diff(h.throttled(), b.throttled))).toEqual([]),
    (h) => {
      const pause = pauseOf(h);
      const hottest = h.snapshot().stream?.hotKeys[0];
      expect(hottest?.shardId).toBe(pause?.shardId);
    },
    (h) =>
      expect(h.snapshot().diagnosis.find((d) => d.shardId === pauseOf(h)?.shardId)?.verdict).toBe(
        'hot-shard',
      ),
  ],
  'hot-key-more-shards': [
    (h) => expect(pauseOf(h)?.shardId).toBe(h.shardOfKey('celebrity')),
    (h) => {
      expect(pauseOf(h)?.shardId).toBe(h.shardOfKey('celebrity'));
      expect(h.snapshot().diagnosis.map((d) => d.shardId)).toEqual([h.shardOfKey('celebrity')]);
    },
    (h) => {
      expect(h.snapshot().stream?.status).toBe('ACTIVE');
      expect(open(h)).toHaveLength(8);
    },
    (h, b) => {
      expect(pauseOf(h)?.shardId).toBe(h.shardOfKey('celebrity'));
      expect(open(h)).toContain(pauseOf(h)?.shardId);
      expect(positive(diff(h.throttled(), b.throttled))).toEqual([h.shardOfKey('celebrity')]);
    },
    (h, b) => {
      expect(positive(diff(h.throttled(), b.throttled))).toEqual([h.shardOfKey('celebrity')]);
      expect(h.snapshot().diagnosis.map((d) => [d.shardId, d.verdict])).toEqual([
        [h.shardOfKey('celebrity'), 'hot-key'],
      ]);
    },
  ],
  'hot-shard-split': [
    (h) => expect(pauseOf(h)?.shardId).toBe('shardId-000000000000'),
    (h) => {
      expect(open(h)).toEqual(['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
      const children = h.snapshot().stream?.lineage.filter((s) => s.parentShardId === 'shardId-000000000000');
      expect(children?.map((s) => s.shardId)).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    },
    (h, b) => {
      const accepted = diff(h.accepted(), b.accepted);
      expect(accepted.get('shardId-000000000002')).toBeGreaterThan(0);
      expect(accepted.get('shardId-000000000003')).toBeGreaterThan(0);
      expect(positive(diff(h.throttled(), b.throttled))).toEqual([]);
    },
  ],
  'timestamp-key': [
    (h) => expect(pauseOf(h)?.shardId).toMatch(/^shardId-/),
    (h) => {
      // In every completed second of the step, one shard alone took records.
      const stream = h.snapshot().stream;
      if (!stream) throw new Error('no stream');
      const armed = Math.floor((pauseOf(h)?.armedAtMs ?? 0) / 1000);
      let checked = 0;
      for (let t = 0; t < stream.seconds; t++) {
        if (stream.firstSecond + t <= armed || stream.firstSecond + t >= Math.floor(stream.nowMs / 1000))
          continue;
        const busy = stream.shards.filter((s) => {
          const i = s.position * stream.seconds + t;
          return (stream.series.incomingRecords[i] ?? 0) + (stream.series.throttledRecords[i] ?? 0) > 0;
        });
        expect(busy.length).toBeLessThanOrEqual(1);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(8);
    },
    (h, b) => expect(positive(diff(h.throttled(), b.throttled))).toEqual([]),
  ],
  'explicit-hash-key': [
    (h, b) => {
      expect(pauseOf(h)?.shardId).toBe(h.shardOfKey('device-1'));
      expect(positive(diff(h.accepted(), b.accepted))).toEqual([h.shardOfKey('device-1')]);
    },
    (h, b) => {
      expect(positive(diff(h.accepted(), b.accepted))).toHaveLength(4);
      expect(positive(diff(h.throttled(), b.throttled))).toEqual([]);
    },
    (h) => {
      const shard = h.snapshot().stream?.shards.find((s) => s.startingHashKey === '0');
      expect(h.snapshot().lesson?.outcomes[1]?.shardId).toBe(shard?.shardId);
    },
  ],
  'retention-24h': [
    (h) => {
      const stream = h.snapshot().stream;
      expect(stream?.expired.reduce((a, n) => a + n, 0)).toBe(0);
      expect(stream?.retainedRecords.reduce((a, n) => a + n, 0)).toBeGreaterThan(0);
    },
    (h) => {
      const stream = h.snapshot().stream;
      const firstMinute = 20 * 60; // the sensor's rate (a scenario setting) × the first minute
      expect(stream?.expired.reduce((a, n) => a + n, 0)).toBeGreaterThanOrEqual(firstMinute);
    },
    (h, b) => {
      // Levels off: over the hour the retained count changes by far less than what arrived in it.
      const arrived = [...diff(h.accepted(), b.accepted).values()].reduce((a, n) => a + n, 0);
      expect(arrived).toBeGreaterThan(0);
      expect(Math.abs(retainedOf(h) - b.retained)).toBeLessThan(arrived / 4);
    },
  ],
  'putrecords-partial-failure': [
    (h) => {
      const p = h.snapshot().producers.find((x) => x.name === 'one-request');
      expect(p).toMatchObject({ accepted: 500, throttled: 0, rejected: 0 });
    },
    (h) => {
      const p = h.snapshot().producers.find((x) => x.name === 'ten-requests');
      expect(p?.accepted).toBeGreaterThan(0);
      expect(p?.throttled).toBeGreaterThan(0);
      expect(p?.requestsRejected).toBe(0);
      expect(h.snapshot().recentErrors.map((e) => e.errorType)).toContain(
        'ProvisionedThroughputExceededException',
      );
    },
    (h) => {
      const p = h.snapshot().producers.find((x) => x.name === 'too-big');
      expect(p).toMatchObject({ accepted: 0, throttled: 0, rejected: 500, requestsRejected: 1 });
    },
  ],
  'resharding-lineage': [
    (h) => expect(h.snapshot().stream?.lineage).toHaveLength(4),
    (h) => {
      expect(open(h)).toEqual(['shardId-000000000006', 'shardId-000000000009', 'shardId-000000000010']);
      // The four old shards and UpdateShardCount's four short-lived ones (4, 5, 7, 8) are closed, still listed.
      expect(
        h
          .snapshot()
          .stream?.shards.filter((s) => !s.isOpen)
          .map((s) => s.shardId.slice(-2)),
      ).toEqual(['00', '01', '02', '03', '04', '05', '07', '08']);
    },
    (h) => {
      const merged = h.snapshot().stream?.lineage.find((s) => s.shardId === 'shardId-000000000011');
      expect(merged).toMatchObject({
        parentShardId: 'shardId-000000000006',
        adjacentParentShardId: 'shardId-000000000009',
      });
    },
    (h) => {
      const stream = h.snapshot().stream;
      expect(stream?.shards.map((s) => s.shardId)).toEqual(['shardId-000000000010', 'shardId-000000000011']);
      const gone = stream?.lineage.filter(
        (s) => !['shardId-000000000010', 'shardId-000000000011'].includes(s.shardId),
      );
      expect(gone?.length).toBeGreaterThanOrEqual(6);
      for (const shard of gone ?? []) expect(shard.state).toBe('EXPIRED');
    },
  ],
  'on-demand': [
    (h, b) => expect(positive(diff(h.throttled(), b.throttled))).toEqual([]),
    (h, b) => {
      expect(positive(diff(h.throttled(), b.throttled))).toEqual([]);
      expect(open(h).length).toBeGreaterThan(4);
    },
    (h) => expect(pauseOf(h)?.shardId).toMatch(/^shardId-/),
    (h, b) => expect(positive(diff(h.throttled(), b.throttled)).length).toBeGreaterThan(0),
  ],
  'auto-distribution': [
    (h, b) => {
      expect(positive(diff(h.throttled(), b.throttled))).toEqual([]);
      expect(positive(diff(h.accepted(), b.accepted))).toHaveLength(open(h).length);
    },
    (h) => expect(pauseOf(h)?.shardId).toBe(h.shardOfKey('celebrity')),
    (h) =>
      expect(h.snapshot().diagnosis.find((d) => d.shardId === h.shardOfKey('celebrity'))?.verdict).toBe(
        'hot-key',
      ),
  ],
  'cloudwatch-40-percent': [
    (h) => expect(pauseOf(h)?.shardId).toBe('shardId-000000000000'),
    (h) => expectCloudWatchHidesTheBurst(h),
    (h) => {
      const minute = expectCloudWatchHidesTheBurst(h);
      // One shard: the stream-level (basic) Sum is the shard's.
      expect(cloudWatchAt(h, 0, 'incomingRecords', minute)).toBe(
        cloudWatchAt(h, 1, 'incomingRecords', minute),
      );
    },
  ],
  'retries-and-jitter': [
    (h) => expect(pauseOf(h)?.shardId).toBe('shardId-000000000000'),
    (h) => {
      const once = producerNamed(h, 'once');
      const sdk = producerNamed(h, 'sdk');
      expect(sdk.retries.deliveredAfterRetry).toBeGreaterThan(0);
      expect(once.retries.deliveredAfterRetry).toBe(0);
      expect(sdk.retries.quotaRefused).toBeGreaterThan(sdk.retries.deliveredAfterRetry);
      expect(sdk.retries.dropped).toBeLessThan(once.retries.dropped);
      expect(sdk.retries.amplification ?? 0).toBeGreaterThan(1);
      expect(sdk.attempted - sdk.accepted).toBeGreaterThan(0);
    },
    (h) => {
      // The retries of the two bursts: "in-step" all in one lane, "jittered" spread (its busiest lane far
      // smaller). The bursts themselves went out in the step's first lane; retries come a second later.
      const peakRetryLane = (name: string) => {
        const lanes = producerNamed(h, name).retries.lanes;
        const first = lanes.findIndex((n) => n > 0);
        return Math.max(...lanes.slice(first + 1));
      };
      expect(producerNamed(h, 'in-step').retries.retryAttempts).toBeGreaterThan(0);
      expect(peakRetryLane('in-step')).toBeGreaterThan(3 * peakRetryLane('jittered'));
    },
  ],
  'kpl-aggregation': [
    (h) => {
      expect(pauseOf(h)?.shardId).toBe('shardId-000000000000');
      expect(h.snapshot().diagnosis[0]?.limit).toBe('records');
    },
    (h, b) => {
      expect(positive(diff(h.throttled(), b.throttled))).toEqual([]);
      const kpl = producerNamed(h, 'kpl');
      expect(kpl.accepted).toBeGreaterThan(1000 * 9);
      expect(kpl.kpl?.kinesisRecords ?? 0).toBeLessThan(kpl.accepted / 10);
    },
    (h) => {
      expect(pauseOf(h)?.shardId).toBe('shardId-000000000000');
      expect(h.snapshot().diagnosis[0]?.limit).toBe('bytes');
    },
  ],
};

/** A producer's totals by name (the lesson's scenario names them). */
function producerNamed(h: Harness, name: string) {
  const p = h.snapshot().producers.find((x) => x.name === name);
  if (!p) throw new Error(`no producer ${name}`);
  return p;
}

/** A field of the snapshot's 1-minute CloudWatch period `p` for row `row` (0 = stream, 1 = first shard carried). */
function cloudWatchAt(h: Harness, row: number, field: string, p: number): number {
  const cw = h.snapshot().stream?.cloudWatch;
  if (!cw) throw new Error('no stream');
  const f = (cw.fields as readonly string[]).indexOf(field);
  return cw.oneMinute.data[(row * cw.fields.length + f) * cw.oneMinute.periods + p] ?? Number.NaN;
}

/**
 * What the CloudWatch lesson's captions claim of the newest complete minute: its IncomingRecords Sum ÷ 60 s
 * is under the 1,000 records/s limit while its busiest second asked more and records were throttled.
 * Returns that period's index.
 */
function expectCloudWatchHidesTheBurst(h: Harness): number {
  const p = (h.snapshot().stream?.cloudWatch.oneMinute.periods ?? 0) - 1;
  expect(cloudWatchAt(h, 1, 'incomingRecords', p) / 60).toBeGreaterThan(0);
  expect(cloudWatchAt(h, 1, 'incomingRecords', p) / 60).toBeLessThan(1000);
  expect(cloudWatchAt(h, 1, 'peakSecondRecords', p)).toBeGreaterThan(1000);
  expect(cloudWatchAt(h, 1, 'throttledRecords', p)).toBeGreaterThan(0);
  expect(cloudWatchAt(h, 1, 'throttledSeconds', p)).toBeGreaterThan(0);
  return p;
}

function runLesson(lesson: Lesson, claims: Claim[]): Harness {
  const h = lessonHost();
  const scenario = lessonScenario(lesson);
  lesson.steps.forEach((step, i) => {
    const result = i === 0 ? h.open(scenario, 0) : h.next(scenario, i);
    // What held once the step's actions ran: the claims are about what happens while it plays.
    const before = { throttled: h.throttled(), accepted: h.accepted(), retained: retainedOf(h) };
    expect(result?.ok, `step ${i + 1}: ${JSON.stringify(result)}`).toBe(true);
    h.settle();
    const status = h.snapshot().lesson;
    expect(status?.stepIndex).toBe(i);
    for (const outcome of status?.outcomes ?? []) expect(outcome.ok, outcome.summary).toBe(true);
    if (step.pauseWhen) {
      expect(status?.pause?.met, `step ${i + 1} pauses ${JSON.stringify(step.pauseWhen)}`).toBe(true);
      // Paused at the instant it was met (a throttle: at the end of its second, so the completed-second
      // views show it): the clock stopped there.
      expect(h.snapshot().playing).toBe(false);
      const atMs = status?.pause?.atMs ?? Number.NaN;
      expect(h.snapshot().nowMs).toBe(
        step.pauseWhen.kind === 'shardThrottles' ? Math.ceil(atMs / 1000) * 1000 : atMs,
      );
      expect(fillCaption(step.caption, status?.pause)).not.toContain(UNFILLED_SHARD);
      expect(fillCaption(step.caption, status?.pause)).not.toContain(UNFILLED_TIME);
    }
    claims[i]?.(h, before);
  });
  return h;
}

describe('the curriculum', () => {
  it('has at least 11 lessons of 3 to 7 steps, each a valid scenario file with a unique id', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(11);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
    for (const lesson of LESSONS) {
      expect(lesson.steps.length).toBeGreaterThanOrEqual(3);
      expect(lesson.steps.length).toBeLessThanOrEqual(7);
      expect(scenarioSchema.safeParse(lessonScenario(lesson)).success).toBe(true);
      expect(lessonById(lesson.id)).toBe(lesson);
    }
  });

  it('has claims for every step of every lesson', () => {
    for (const lesson of LESSONS) expect(CLAIMS[lesson.id]?.length, lesson.id).toBe(lesson.steps.length);
  });

  it('states no digits in captions beyond names, settings and documented limits', () => {
    // Numbers a caption may carry: ShardIds, key names, settings the file itself sets, AWS's figures.
    const allowed =
      /UTF-8|MD5|shardId-\d+|orders-\d|device-\d|\d+-bit|[+]?\d+ h\b|\d+×|1,000 records\/s|10 MiB|100 KiB|2022|\b(5|10|24|60|500|3)\b|ExplicitHashKey 0|StartingHashKey is 0|HTTP 200|above 0|30-day|per 100 ms|1 MiB\/s/g;
    for (const lesson of LESSONS)
      for (const step of lesson.steps)
        expect(step.caption.replace(allowed, ''), step.caption).not.toMatch(/\d/);
  });

  for (const lesson of LESSONS)
    it(`${lesson.id}: every step pauses where it says and its captions hold`, () => {
      runLesson(lesson, CLAIMS[lesson.id] ?? []);
    }, 60_000);
});

describe('Previous: reopening at a step replays the steps before it', () => {
  it('gives the same numbers as playing them (same seed, same steps)', () => {
    const lesson = lessonById('hot-key-more-shards');
    if (!lesson) throw new Error('missing lesson');
    const live = runLesson({ ...lesson, steps: lesson.steps.slice(0, 2) }, []);
    const replay = lessonHost();
    const scenario: Scenario = lessonScenario(lesson);
    expect(replay.open(scenario, 2)?.ok).toBe(true);
    // Replayed to where step 2 paused, then step 3's actions ran (UpdateShardCount at that same instant).
    const livePause = live.snapshot().lesson?.pause;
    expect(replay.snapshot().lesson?.stepIndex).toBe(2);
    expect(livePause?.met).toBe(true);
    expect(replay.snapshot().lesson?.pause?.armedAtMs).toBe(live.snapshot().nowMs);
    expect([...replay.throttled()].slice(0, 4)).toEqual([...live.throttled()]);
    expect([...replay.accepted()].slice(0, 4)).toEqual([...live.accepted()]);
  });

  it('says so when an earlier step never meets its condition', () => {
    const steps: LessonStep[] = [
      { caption: 'Nothing throttles here.', pauseWhen: { kind: 'shardThrottles' } },
      { caption: 'Second.' },
    ];
    const base = lessonScenario(lessonById('md5-to-shard') as Lesson);
    const h = lessonHost();
    expect(h.open({ ...base, steps }, 1)?.ok).toBe(true);
    expect(h.snapshot().lesson?.stepIndex).toBe(1);
    expect(h.snapshot().lesson?.pause).toBeNull();
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { PRESETS } from './presets';
import { MAX_SCENARIO_BYTES, parseScenario, type Scenario } from './schema';
import { scenarioFromHash, scenarioFromJson, scenarioToHash, scenarioToJson } from './share';

const { id: _id, ...celebrity } = PRESETS.find((p) => p.id === 'celebrity') as (typeof PRESETS)[number];

describe('scenarios', () => {
  it('has at least six valid presets with distinct ids and a lesson each', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const { id: _presetId, ...preset } of PRESETS) {
      expect(parseScenario(preset)).toMatchObject({ ok: true });
      expect(preset.lesson.length).toBeGreaterThan(20);
    }
  });

  it('round-trips through JSON and through a URL hash', () => {
    const fromJson = scenarioFromJson(scenarioToJson(celebrity));
    expect(fromJson).toEqual({ ok: true, scenario: celebrity });
    const hash = scenarioToHash({ ...celebrity, name: 'Ünïcødé 😀 name' });
    expect(hash).toMatch(/^#scenario=[A-Za-z0-9_-]+$/);
    expect(scenarioFromHash(hash)).toEqual({ ok: true, scenario: { ...celebrity, name: 'Ünïcødé 😀 name' } });
    expect(scenarioFromHash('#other=1')).toBeUndefined();
  });

  it('refuses malformed, oversized and hostile input with a clear message', () => {
    const bad: [string, RegExp][] = [
      ['{"version": 1', /is not JSON/],
      ['[]', /Not a valid Shardlab scenario/],
      ['null', /Not a valid Shardlab scenario/],
      [JSON.stringify({ ...celebrity, version: 2 }), /version/],
      [JSON.stringify({ ...celebrity, seed: -1 }), /seed/],
      [JSON.stringify({ ...celebrity, speed: 7 }), /speed/],
      [
        JSON.stringify({ ...celebrity, stream: { ...celebrity.stream, shardCount: 501 } }),
        /stream\.shardCount/,
      ],
      [JSON.stringify({ ...celebrity, extra: true }), /extra|Unrecognized/i],
      ['{"__proto__": {"polluted": true}, "version": 1}', /Not a valid Shardlab scenario/],
      [
        JSON.stringify({
          ...celebrity,
          producers: [{ running: true, spec: { ...celebrity.producers[0]?.spec, batchSize: 0 } }],
        }),
        /producers\.0\.spec\.batchSize/,
      ],
      [`{"name": "${'x'.repeat(MAX_SCENARIO_BYTES)}"}`, /too large/],
    ];
    for (const [text, message] of bad) {
      const result = scenarioFromJson(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(message);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(scenarioFromHash('#scenario=%%%')).toMatchObject({
      ok: false,
      message: expect.stringContaining('damaged'),
    });
    expect(scenarioFromHash(`#scenario=${'A'.repeat(MAX_SCENARIO_BYTES * 2)}`)).toMatchObject({ ok: false });
  });

  it('types and schema agree on a full scenario', () => {
    const full: Scenario = {
      version: 1,
      name: 'all distributions',
      seed: 9,
      speed: 60,
      stream: { streamName: 's', shardCount: 3, retentionHours: 48, throttle: 'fixed-window' },
      producers: [
        {
          running: true,
          spec: {
            name: 'a',
            api: 'PutRecord',
            batchSize: 1,
            payloadBytes: { min: 1, max: 9 },
            rate: 5,
            distribution: { kind: 'zipf', keyCount: 3, exponent: 1 },
          },
        },
        {
          running: false,
          spec: {
            name: 'b',
            api: 'PutRecords',
            batchSize: 500,
            payloadBytes: { min: 0, max: 0 },
            rate: 'burst',
            recordCount: 10,
            distribution: { kind: 'sequential', prefix: 'id-', start: 3 },
          },
        },
        {
          running: true,
          spec: {
            name: 'c',
            api: 'PutRecords',
            batchSize: 10,
            payloadBytes: { min: 5, max: 5 },
            rate: 1,
            durationMs: 1000,
            distribution: {
              kind: 'explicitHashKeys',
              hashKeys: ['0', '340282366920938463463374607431768211455'],
            },
          },
        },
      ],
    };
    expect(parseScenario(full)).toEqual({ ok: true, scenario: full });
  });
});

// @vitest-environment node
// The lesson file shown in README.md is a valid lesson: teachers copy it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { producerProblem } from '../../engine/producers/producerSet';
import { parseScenario } from '../schema';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe("README's example lesson", () => {
  it('passes the scenario schema with its steps, and its producer is one the worker takes', () => {
    const block = /```json\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('- **Lessons**')));
    expect(block).not.toBeNull();
    const parsed = parseScenario(JSON.parse(block?.[1] ?? ''));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.scenario.steps).toHaveLength(2);
    const add = parsed.scenario.steps?.[0]?.actions?.[0];
    if (add?.type !== 'addProducer') throw new Error('the first action adds a producer');
    expect(producerProblem(add.producer)).toBeUndefined();
  });
});

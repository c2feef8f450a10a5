// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every exported function and class of the engine has a doc comment (at least one line) right above it.
const ROOT = new URL('./', import.meta.url);
const sources = ['', 'api/', 'producers/'].flatMap((dir) =>
  readdirSync(new URL(dir, ROOT))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `${dir}${f}`),
);

describe('doc comments', () => {
  it('finds the engine sources', () => {
    expect(sources).toContain('engine.ts');
    expect(sources).toContain('api/dispatch.ts');
  });

  it.each(sources)('%s: every exported function and class has a doc comment', (file) => {
    const lines = readFileSync(new URL(file, ROOT), 'utf8').split('\n');
    const missing: string[] = [];
    lines.forEach((line, i) => {
      if (!/^export (?:abstract )?(?:async )?(?:function|class)\b/.test(line)) return;
      let j = i - 1;
      while (j >= 0 && /^\s*(?:@|\/\/)/.test(lines[j] as string)) j--;
      if (!/\*\/\s*$/.test(lines[j] ?? '')) missing.push(`${file}:${i + 1} ${line}`);
    });
    expect(missing).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes } from './format';

describe('formatBytes', () => {
  it('scales to B, KiB, MiB and GiB with thousands separators', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024 * 1024)).toBe('1.00 MiB');
    expect(formatBytes(1023.5 * 1024 * 1024)).toBe('1,023.50 MiB');
    expect(formatBytes(4609.09 * 1024 * 1024)).toBe('4.50 GiB');
    expect(formatBytes(17_783.66 * 1024 ** 2)).toBe('17.37 GiB');
  });
});

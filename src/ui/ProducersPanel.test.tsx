import { describe, expect, it } from 'vitest';
import { producerStateText } from './ProducersPanel';

describe('the producer table State cell', () => {
  it('says a running producer waits while the clock is paused, also after a jump simulated in aggregate', () => {
    expect(producerStateText({ running: true, aggregated: true }, false)).toBe(
      'waiting: clock paused (last records in aggregate)',
    );
    expect(producerStateText({ running: true, aggregated: false }, false)).toBe('waiting: clock paused');
    expect(producerStateText({ running: true, aggregated: true }, true)).toBe('running (aggregate)');
    expect(producerStateText({ running: true, aggregated: false }, true)).toBe('running');
    expect(producerStateText({ running: false, aggregated: true }, true)).toBe(
      'stopped (last records in aggregate)',
    );
    expect(producerStateText({ running: false, aggregated: false }, false)).toBe('stopped');
  });
});

// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderPausedChart } from '../../test/chartHarness';
import { KeyDistributionChart } from './KeyDistributionChart';

describe('KeyDistributionChart: the records of EXPIRED shards', () => {
  it('count in the shares of traffic, with a row of their own in the data table', () => {
    const { store, stream } = renderPausedChart(<KeyDistributionChart />);
    expect(screen.queryByTestId('key-distribution-expired')).toBeNull();
    // 100 accepted records on each listed shard, as many on one expired shard: it takes half the traffic.
    const accepted = new Float64Array(stream.shards.length).fill(100);
    const throttled = new Float64Array(stream.shards.length);
    const listed = 100 * stream.shards.length;
    act(() =>
      store.setState({
        viewStream: {
          ...stream,
          accepted,
          throttled,
          expiredShards: { shards: 1, accepted: listed, acceptedBytes: 1, throttled: 0, expired: listed },
        },
      }),
    );
    expect(screen.getByTestId('key-distribution-expired').textContent).toContain(
      `Shares of traffic count the 1 expired shard too, no longer listed: ${listed.toLocaleString('en-US')} accepted, 0 throttled.`,
    );
    act(() => screen.getByRole('button', { name: /Show Key distribution data table/ }).click());
    expect(screen.getByTestId('key-distribution-expired-row').textContent).toBe(
      `1 expired shard (gone from ListShards)${listed.toLocaleString('en-US')}050.0%expired`,
    );
  });
});

// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderPausedChart } from '../../test/chartHarness';
import { RetentionChart } from './RetentionChart';

describe('RetentionChart: the records of EXPIRED shards', () => {
  it('stay in the expired total, and the summary says how many were on expired shards', () => {
    const { store, stream } = renderPausedChart(<RetentionChart />);
    const listed = stream.expired.reduce((a, b) => a + b, 0);
    expect(screen.getByTestId('retention-summary').textContent).not.toContain('expired shard');
    act(() =>
      store.setState({
        viewStream: {
          ...stream,
          expiredShards: { shards: 2, accepted: 67_853, acceptedBytes: 1, throttled: 0, expired: 67_853 },
        },
      }),
    );
    expect(screen.getByTestId('retention-summary').textContent).toContain(
      `${(listed + 67_853).toLocaleString('en-US')} expired (67,853 of them on 2 expired shards, gone from ListShards).`,
    );
    // The data table accounts for them too: a row of their own.
    act(() => screen.getByRole('button', { name: /Show Retention data table/ }).click());
    expect(screen.getByTestId('retention-expired-shards').textContent).toBe(
      '2 expired shards (gone from ListShards)00 B67,8530',
    );
  });
});

describe('RetentionChart: records released early by the engine-wide budget', () => {
  it('says how many of the stream’s records were released, and the budget all streams share', () => {
    const { store, stream } = renderPausedChart(<RetentionChart />);
    // Nothing was released: nothing is said.
    expect(stream.releasedRecords).toBe(0);
    expect(screen.queryByTestId('released-early')).toBeNull();
    // The figures drawn are the snapshot's: the count this stream had released, and the budget the engine
    // keeps (its defaults: 4,000,000 records, 128 MiB).
    expect([stream.detailBudget, stream.payloadBudgetBytes]).toEqual([4_000_000, 128 * 1024 * 1024]);
    act(() => store.setState({ viewStream: { ...stream, releasedRecords: 12_345 } }));
    expect(screen.getByTestId('released-early').textContent).toBe(
      " Since the stream was created, 12,345 of its records became counts before their retention ended (still counted, no longer readable), because all streams together reached the simulation's limit of 4,000,000 readable records. The oldest records of all streams go first.",
    );
    // Which limit was reached is the snapshot's: released to free payload bytes, or both.
    act(() =>
      store.setState({
        viewStream: { ...stream, releasedRecords: 12_345, releasedForPayloadRecords: 12_345 },
      }),
    );
    expect(screen.getByTestId('released-early').textContent).toContain(
      "12,345 of its records became counts before their retention ended (still counted, no longer readable), because all streams together reached the simulation's limit of 128 MiB of readable data and partition keys.",
    );
    act(() =>
      store.setState({ viewStream: { ...stream, releasedRecords: 12_345, releasedForPayloadRecords: 345 } }),
    );
    expect(screen.getByTestId('released-early').textContent).toContain(
      "12,000 because all streams together reached the simulation's limit of 4,000,000 readable records, 345 because they reached its limit of 128 MiB of readable data and partition keys.",
    );
  });
});

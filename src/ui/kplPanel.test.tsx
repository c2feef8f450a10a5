// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderRecording } from '../test/appHarness';
import { burstText, ProducersPanel } from './ProducersPanel';

describe('KPL in the producers panel', () => {
  it('sends KPL options from the form, and shows user records/s against Kinesis records/s', async () => {
    const user = userEvent.setup();
    const { client, sent } = renderRecording(<ProducersPanel />);
    act(() => client.send({ type: 'pause' }));
    const form = screen.getByRole('form', { name: 'Add producer' });
    expect(within(form).queryByLabelText('Aggregation max size (bytes)')).toBeNull();
    await user.click(within(form).getByLabelText('KPL aggregation'));
    expect(within(form).getByLabelText('Aggregation max size (bytes)')).toHaveValue(51200);
    expect(within(form).queryByLabelText('API')).toBeNull();
    await user.click(within(form).getByLabelText('Collection (PutRecords batching)'));
    await user.clear(within(form).getByLabelText('Rate (records/s)'));
    await user.type(within(form).getByLabelText('Rate (records/s)'), '5000');
    await user.click(within(form).getByRole('button', { name: 'Add producer' }));
    const add = sent.find((c) => c.type === 'addProducer');
    expect(add).toMatchObject({
      spec: { rate: 5000, kpl: { aggregationMaxBytes: 51200, collection: false } },
    });
    act(() => client.send({ type: 'step', ms: 3000 }));
    expect(screen.getByRole('img', { name: /user records\/s and Kinesis records\/s/ })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show KPL aggregation data table' }));
    const table = screen.getByRole('table', { name: 'KPL aggregation: user records/s vs Kinesis records/s' });
    const cells = within(table).getAllByRole('row')[1]?.querySelectorAll('td');
    expect(cells?.[0]?.textContent).toBe('5,000');
    const kinesis = Number(cells?.[1]?.textContent?.replace(/\D/g, ''));
    expect(kinesis).toBeGreaterThan(0);
    expect(kinesis).toBeLessThan(100);
    // Edit shows the producer's KPL options.
    await user.click(screen.getByRole('button', { name: /^Edit / }));
    const edit = screen.getByRole('form', { name: /Edit producer/ });
    expect(within(edit).getByLabelText('KPL aggregation')).toBeChecked();
    expect(within(edit).getByLabelText('Collection (PutRecords batching)')).not.toBeChecked();
  });

  it('says how a KPL burst is sent, with no request count it cannot know', () => {
    const text = burstText(
      {
        name: 'b',
        api: 'PutRecords',
        batchSize: 500,
        payloadBytes: { min: 100, max: 100 },
        rate: 'burst',
        recordCount: 5000,
        distribution: { kind: 'uniform', keyCount: 10 },
        kpl: { aggregationMaxBytes: 51200, collection: true },
      },
      { nowMs: 0, playing: true },
    );
    expect(text).toContain(
      '5,000 records (KPL-aggregated into records of up to 51,200 bytes, sent in PutRecords',
    );
  });
});

// @vitest-environment jsdom
import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderRecording } from '../test/appHarness';
import { FaultInjectionPanel } from './FaultInjectionPanel';

function renderPanel() {
  const { client, sent } = renderRecording(<FaultInjectionPanel />);
  act(() => client.send({ type: 'pause' }));
  const form = screen.getByRole('form', { name: 'Inject a fault' });
  const setFaults = () => sent.filter((c) => c.type === 'setFaults').length;
  return { form, setFaults, step: (ms: number) => act(() => client.send({ type: 'step', ms })) };
}

describe('the fault injection form', () => {
  it('refuses an empty share, an empty start and a start past the bound, naming the field and sending nothing', async () => {
    const user = userEvent.setup();
    const { form, setFaults } = renderPanel();
    const field = (label: RegExp) => within(form).getByLabelText(label);
    const inject = () => user.click(within(form).getByRole('button', { name: 'Inject fault' }));

    await user.clear(field(/Share of calls/));
    await inject();
    expect(screen.getByRole('alert')).toHaveTextContent('Share of calls: type a share above 0');
    await user.type(field(/Share of calls/), '25');

    await user.clear(field(/Starts in/));
    await inject();
    expect(screen.getByRole('alert')).toHaveTextContent('Starts in: type 0 for now');
    await user.type(field(/Starts in/), '1e12');
    await inject();
    expect(screen.getByRole('alert')).toHaveTextContent('Starts in: type 0 for now');
    await user.clear(field(/Starts in/));
    await user.type(field(/Starts in/), '0');

    await user.clear(field(/Lasts/));
    await inject();
    expect(screen.getByRole('alert')).toHaveTextContent('Lasts: type virtual seconds above 0');
    expect(setFaults()).toBe(0);
    expect(screen.getByText('No faults set.')).toBeInTheDocument();
  });

  it('a share of 0 is refused by the worker, naming the field; a good fault is set and its window shown', async () => {
    const user = userEvent.setup();
    const { form, setFaults } = renderPanel();
    const share = within(form).getByLabelText(/Share of calls/);
    await user.clear(share);
    await user.type(share, '0');
    await user.click(within(form).getByRole('button', { name: 'Inject fault' }));
    expect(setFaults()).toBe(1);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Invalid fault: share must be above 0 and at most 100 %',
    );
    expect(screen.getByText('No faults set.')).toBeInTheDocument();

    await user.clear(share);
    await user.type(share, '25');
    await user.click(within(form).getByRole('button', { name: 'Inject fault' }));
    expect(await screen.findByText('1 fault set.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    const table = screen.getByRole('table', { name: 'Injected faults' });
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(within(table).getByText('25 %')).toBeInTheDocument();
  });
});

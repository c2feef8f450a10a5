// @vitest-environment jsdom
import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../test/appHarness';

afterEach(() => window.history.replaceState(null, '', '/'));

describe('Copy share link', () => {
  it("never puts the presenter's token in the link, and keeps it in the presenter's address bar", async () => {
    window.history.replaceState(null, '', '/?token=secret&presenter=0');
    renderApp({ paused: true });
    await act(async () => {
      await userEvent.click(screen.getByRole('button', { name: 'Copy share link' }));
    });
    const link = (screen.getByLabelText(/^Share link/) as HTMLInputElement).value;
    expect(link).toContain('#scenario=');
    expect(link).not.toContain('token');
    expect(window.location.search).toContain('token=secret');
  });
});

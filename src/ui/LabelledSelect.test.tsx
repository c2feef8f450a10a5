// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LabelledSelect } from './LabelledSelect';

describe('<LabelledSelect />', () => {
  it('is named by its label text alone, whichever option is chosen', () => {
    render(
      <LabelledSelect label="Speed" value="60" onChange={() => {}}>
        <option value="1">1×</option>
        <option value="60">60×</option>
      </LabelledSelect>,
    );
    const select = screen.getByRole('combobox', { name: 'Speed' });
    expect(screen.getByLabelText('Speed')).toBe(select);
    expect(select).toHaveValue('60');
    // What the assertions above cannot tell apart (testing-library leaves a label's controls out of its text;
    // Playwright does not, see e2e/accessibility.spec.ts): the name comes from an element holding the label's
    // words alone, not from the wrapping label.
    const nameId = select.getAttribute('aria-labelledby') ?? '';
    expect(document.getElementById(nameId)?.textContent).toBe('Speed');
  });
});

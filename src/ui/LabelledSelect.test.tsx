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
  });
});

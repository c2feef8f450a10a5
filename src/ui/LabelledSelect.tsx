import { type ReactNode, type SelectHTMLAttributes, useId } from 'react';

interface LabelledSelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  /** What the select is, as the label shows it. */
  label: ReactNode;
  /** The label's class (its layout: `inline-field`, `wide`…). */
  className?: string;
}

/**
 * A select inside its `<label>` (which lays it out and focuses it on a click), named by the label's text alone
 * (`aria-labelledby`): a label's text content takes in the text of the select's options, so matching the
 * control by its label's exact text — as Playwright's `getByLabel(…, { exact: true })` does — missed it.
 */
export function LabelledSelect({ label, className, children, ...select }: LabelledSelectProps) {
  const id = useId();
  return (
    <label className={className}>
      <span id={id}>{label}</span>
      <select aria-labelledby={id} {...select}>
        {children}
      </select>
    </label>
  );
}

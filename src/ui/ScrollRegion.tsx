import type { ReactNode, Ref, UIEvent } from 'react';

/** A scrollable box that keyboard users can focus and scroll, named for screen readers. */
export function ScrollRegion({
  label,
  className,
  children,
  onScroll,
  regionRef,
}: {
  label: string;
  className?: string;
  children: ReactNode;
  /** For a view that renders only the rows in sight (see ShardTable). */
  onScroll?: (e: UIEvent<HTMLElement>) => void;
  regionRef?: Ref<HTMLElement>;
}) {
  return (
    <section
      ref={regionRef}
      className={`table-scroll${className ? ` ${className}` : ''}`}
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard (WCAG 2.1.1).
      tabIndex={0}
      onScroll={onScroll}
    >
      {children}
    </section>
  );
}

import { useSyncExternalStore } from 'react';

/** Chart text size in rem (charts.css sets `--chart-font` to the same): it grows with Large type. */
export const CHART_FONT_REM = 0.8;

const subscribe = (changed: () => void) => {
  // Large type is a class on <html> (LargeTypeToggle): the root font size changes with it.
  const observer = new MutationObserver(changed);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  return () => observer.disconnect();
};

const rootFontPx = () => {
  const px = Number.parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(px) && px > 0 ? px : 16;
};

/**
 * The chart text size in px as the page draws it now (CHART_FONT_REM of the root font size), updated when
 * Large type is switched: for sizes a chart must compute (axis widths, canvas text).
 */
export function useChartFontPx(): number {
  return useSyncExternalStore(
    subscribe,
    () => rootFontPx() * CHART_FONT_REM,
    () => 16 * CHART_FONT_REM,
  );
}

import { createContext, useContext } from 'react';

/**
 * The plot height (px) a chart should take when its container decides it (the presenter stage fits one chart
 * into what is left of a 1280×720 screen); undefined everywhere else, where each chart keeps its own.
 */
export const ChartHeightContext = createContext<number | undefined>(undefined);

/** The plot height to draw at: the container's, if it gives one, else `normal` (px). */
export function useChartHeight(normal: number): number {
  return useContext(ChartHeightContext) ?? normal;
}

/**
 * The plot height for a chart that may show its CloudWatch lens view under it: where a container gives a
 * height (the stage), the two share it; elsewhere each keeps `normal`.
 */
export function useLensHeight(normal: number, lensOn: boolean): number {
  const given = useContext(ChartHeightContext);
  if (given === undefined) return normal;
  return lensOn ? Math.max(120, Math.floor(given / 2) - 60) : given;
}

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

/** Whether the chart is drawn where its container decides its height: the presenter stage. */
export function useOnStage(): boolean {
  return useContext(ChartHeightContext) !== undefined;
}

import { type ReactNode, useLayoutEffect, useRef, useState } from 'react';
import { CapacityChart } from '../charts/CapacityChart';
import { ChartHeightContext } from '../charts/chartHeight';
import { KeyDistributionChart } from '../charts/KeyDistributionChart';
import { LineageChart } from '../charts/LineageChart';
import { RetentionChart } from '../charts/RetentionChart';
import { ThrottlingChart } from '../charts/ThrottlingChart';
import { ThroughputChart } from '../charts/ThroughputChart';
import { DiagnosisPanel } from '../skew/DiagnosisPanel';
import { KeyspaceView } from '../skew/KeyspaceView';
import { TimeBar } from '../TimeBar';
import { STAGE_CHARTS, type StageChart, usePresenter } from './presenterState';
import { StageShards } from './StageShards';

const CHART_NAMES: Record<StageChart, string> = {
  throughput: 'Throughput',
  throttling: 'Throttling',
  keyDistribution: 'Key distribution',
  retention: 'Retention',
  lineage: 'Shard lineage',
  capacity: 'On-demand capacity',
};

const CHARTS: Record<StageChart, () => ReactNode> = {
  throughput: () => <ThroughputChart />,
  throttling: () => <ThrottlingChart />,
  keyDistribution: () => <KeyDistributionChart />,
  retention: () => <RetentionChart />,
  lineage: () => <LineageChart />,
  capacity: () => <CapacityChart />,
};

/**
 * Presenter mode's stage: one screen at 1280×720, no scrolling — the clock and speed, the shards' live load
 * against the limits, the keyspace, the diagnosis and one chosen chart, in type readable from the back of a
 * room. Regions have fixed places, so nothing moves unless its data does. `lesson` is the lesson panel, if
 * one is open.
 */
export function Stage({ lesson }: { lesson?: ReactNode }) {
  const chart = usePresenter((s) => s.stageChart);
  const setChart = usePresenter((s) => s.setStageChart);
  const chartArea = useRef<HTMLDivElement>(null);
  const plotHeight = useFittedPlotHeight(chartArea, chart);
  return (
    <main className="stage" id="main" aria-label="Presenter stage">
      <div className="stage-time">
        <TimeBar />
      </div>
      {lesson ? <div className="stage-lesson">{lesson}</div> : null}
      <div className="stage-shards-area">
        <StageShards />
      </div>
      <div className="stage-keyspace">
        <KeyspaceView />
      </div>
      <StageScroll className="stage-diagnosis" label="Diagnosis (scrolls)">
        <DiagnosisPanel />
      </StageScroll>
      <div className="stage-chart" ref={chartArea}>
        <label className="inline-field stage-chart-choice">
          Chart
          <select
            aria-label="Chart on stage"
            value={chart}
            onChange={(e) => setChart(e.target.value as StageChart)}
          >
            {STAGE_CHARTS.map((c) => (
              <option key={c} value={c}>
                {CHART_NAMES[c]}
              </option>
            ))}
          </select>
        </label>
        <ChartHeightContext.Provider value={plotHeight}>{CHARTS[chart]()}</ChartHeightContext.Provider>
      </div>
    </main>
  );
}

/**
 * A stage region whose text may be longer than its place (a diagnosis of several throttling shards): it
 * scrolls inside itself, is focusable so the keyboard can scroll it, and while text is hidden below it says so
 * at its bottom edge ("↓ more"), so nothing looks cut mid-sentence by accident.
 */
function StageScroll({
  className,
  label,
  children,
}: {
  className: string;
  label: string;
  children: ReactNode;
}) {
  const box = useRef<HTMLElement>(null);
  const [more, setMore] = useState(false);
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const check = () => setMore(element.scrollTop + element.clientHeight < element.scrollHeight - 2);
    const observer = new ResizeObserver(check);
    observer.observe(element);
    for (const child of Array.from(element.children)) observer.observe(child);
    // The text changes with every snapshot without resizing the box: look again every second too.
    const timer = window.setInterval(check, 1000);
    element.addEventListener('scroll', check, { passive: true });
    check();
    return () => {
      observer.disconnect();
      window.clearInterval(timer);
      element.removeEventListener('scroll', check);
    };
  }, []);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to scroll by keyboard (WCAG 2.1.1).
    <section ref={box} className={`${className} stage-scroll`} aria-label={label} tabIndex={0}>
      {children}
      {more ? (
        <p className="stage-more" data-testid="stage-more">
          ↓ more below: scroll
        </p>
      ) : null}
    </section>
  );
}

/** Smallest and largest plot heights on the stage (px): below it a chart is unreadable, above it wasteful. */
const PLOT_MIN_PX = 110;
const PLOT_MAX_PX = 420;

/**
 * The plot height that makes the chosen chart fill its stage area exactly: the area's height minus what the
 * chart draws around its plot (title, toolbar, axis), measured after each layout and whenever the area
 * changes size (a lesson opens, Large type, the window). Changes only when the space does.
 */
function useFittedPlotHeight(area: React.RefObject<HTMLDivElement | null>, chart: string): number {
  const [plot, setPlot] = useState(180);
  const plotRef = useRef(plot);
  plotRef.current = plot;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-fit when another chart is chosen
  useLayoutEffect(() => {
    const element = area.current;
    if (!element) return;
    // At most a few fits a second: a chart whose surroundings changed with its plot cannot make it loop.
    let budget = 6;
    // Charts appear once data arrives and change their chrome with it: look again every second too.
    const refill = window.setInterval(() => {
      budget = 6;
      refitPlot();
    }, 1000);
    const refitPlot = () => {
      if (budget-- <= 0) return;
      // What the chart occupies, clipped or not; all of it but the plot is its chrome (title, toolbar,
      // axis), which does not depend on the plot's height.
      const top = element.getBoundingClientRect().top;
      let used = 0;
      for (const child of Array.from(element.children)) {
        if (!(child instanceof HTMLElement) || child.offsetParent === null) continue;
        used = Math.max(used, child.getBoundingClientRect().top - top + child.scrollHeight);
      }
      const current = plotRef.current;
      const chrome = used - current;
      const next = Math.round(
        Math.min(PLOT_MAX_PX, Math.max(PLOT_MIN_PX, element.clientHeight - chrome - 4)),
      );
      if (Math.abs(next - current) >= 2) setPlot(next);
    };
    const observer = new ResizeObserver(refitPlot);
    observer.observe(element);
    for (const child of Array.from(element.children)) observer.observe(child);
    refitPlot();
    return () => {
      observer.disconnect();
      window.clearInterval(refill);
    };
  }, [area, chart]);
  return plot;
}

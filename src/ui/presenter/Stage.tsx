import type { ReactNode } from 'react';
import { CapacityChart } from '../charts/CapacityChart';
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
      <div className="stage-diagnosis">
        <DiagnosisPanel />
      </div>
      <div className="stage-chart">
        <label className="inline-field stage-chart-choice">
          Chart on stage
          <select value={chart} onChange={(e) => setChart(e.target.value as StageChart)}>
            {STAGE_CHARTS.map((c) => (
              <option key={c} value={c}>
                {CHART_NAMES[c]}
              </option>
            ))}
          </select>
        </label>
        {CHARTS[chart]()}
      </div>
    </main>
  );
}

import { useCallback } from 'react';
import { useSim, useSimStore } from '../state/SimStoreProvider';
import { selectActions, selectCommandError, selectEngineVersion, selectServer } from '../state/selectors';
import { CapacityChart } from './charts/CapacityChart';
import { KeyDistributionChart } from './charts/KeyDistributionChart';
import { LineageChart } from './charts/LineageChart';
import { RetentionChart } from './charts/RetentionChart';
import { ThrottlingChart } from './charts/ThrottlingChart';
import { ThroughputChart } from './charts/ThroughputChart';
import { EndpointPanel } from './EndpointPanel';
import { FaultInjectionPanel } from './FaultInjectionPanel';
import { LargeTypeToggle } from './LargeTypeToggle';
import { LessonPanel } from './lessons/LessonPanel';
import { ProducersPanel } from './ProducersPanel';
import { PutRecordForm } from './PutRecordForm';
import { BlankScreen, KeyHelp, PresenterToggle } from './presenter/PresenterOverlays';
import { usePresenter } from './presenter/presenterState';
import { Stage } from './presenter/Stage';
import { usePresenterKeys } from './presenter/usePresenterKeys';
import { ScenarioBar } from './ScenarioBar';
import { ShardTable } from './ShardTable';
import { StreamPanel } from './StreamPanel';
import { DiagnosisPanel } from './skew/DiagnosisPanel';
import { KeyInspector } from './skew/KeyInspector';
import { KeyspaceView } from './skew/KeyspaceView';
import { TimeBar } from './TimeBar';
import { UpdateShardCountForm } from './UpdateShardCountForm';

/** Where the skip links lead: every region within a few Tab stops of the top. */
const SKIP_TARGETS: readonly [string, string][] = [
  ['shards', 'Shards'],
  ['diagnosis', 'Diagnosis'],
  ['charts', 'Charts'],
  ['producers', 'Producers'],
  ['stream', 'Stream'],
];

/**
 * The simulator page: time controls; the shards; the stream on the left, diagnosis and charts on the right;
 * then, at the page's full width, the producers (with their retries) and the injected faults — or,
 * in presenter mode, the stage (one screen, no scrolling). The presenter's keys work on both.
 */
export function App() {
  const engineVersion = useSim(selectEngineVersion);
  const commandError = useSim(selectCommandError);
  const actions = useSim(selectActions);
  const server = useSim(selectServer);
  const store = useSimStore();
  const presenter = usePresenter((s) => s.presenter);
  const lessonOpen = useCallback(() => store.getState().lesson !== null, [store]);
  const jumping = useCallback(() => store.getState().clock?.jump != null, [store]);
  usePresenterKeys(actions, lessonOpen, jumping);
  const where = server ? 'on the Shardlab server, shared with Kinesis clients' : 'in a Web Worker';
  return (
    <div className={presenter ? 'app presenter' : 'app'}>
      {presenter ? null : (
        <nav className="skip-links" aria-label="Skip to">
          {SKIP_TARGETS.map(([id, name]) => (
            <a key={id} href={`#${id}`}>
              Skip to {name}
            </a>
          ))}
        </nav>
      )}
      <header className="app-header">
        <h1>
          Shardlab <span className="subtitle">a Kinesis Data Streams simulator</span>
        </h1>
        <div className="header-side">
          <p className="engine" data-testid="engine-status">
            {engineVersion ? `Engine ${engineVersion} running ${where}` : 'Starting the engine…'}
          </p>
          <PresenterToggle />
          <LargeTypeToggle />
        </div>
      </header>
      {commandError ? (
        <p className="result error" role="alert">
          {commandError}{' '}
          <button type="button" className="link" onClick={actions.dismissCommandError}>
            Dismiss
          </button>
        </p>
      ) : null}
      {presenter ? (
        <Stage lesson={<LessonPanel />} />
      ) : (
        <>
          <TimeBar />
          <LessonPanel />
          <ScenarioBar />
          <main className="layout" id="main">
            <section
              className="panel shards-panel"
              aria-labelledby="shards-heading"
              id="shards"
              tabIndex={-1}
            >
              <h2 id="shards-heading">Shards</h2>
              <UpdateShardCountForm />
              <ShardTable />
            </section>
            <div className="column">
              <EndpointPanel />
              <div id="stream" tabIndex={-1}>
                <StreamPanel />
              </div>
              <PutRecordForm />
              <KeyInspector />
            </div>
            <div className="column wide">
              <div id="diagnosis" tabIndex={-1}>
                <DiagnosisPanel />
              </div>
              <section className="panel" aria-labelledby="charts-heading" id="charts" tabIndex={-1}>
                <h2 id="charts-heading">Charts</h2>
                <KeyspaceView />
                <CapacityChart />
                <LineageChart />
                <KeyDistributionChart />
                <ThroughputChart />
                <ThrottlingChart />
                <RetentionChart />
              </section>
            </div>
            {/* Full width: the producers', retries' and faults' tables have a column per figure, and the
                retry charts a legend entry per producer; a side column would scroll them sideways. */}
            <div className="full-width" id="producers" tabIndex={-1}>
              <ProducersPanel />
            </div>
            <div className="full-width" id="faults" tabIndex={-1}>
              <FaultInjectionPanel />
            </div>
          </main>
        </>
      )}
      <KeyHelp />
      <BlankScreen />
    </div>
  );
}

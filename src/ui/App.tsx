import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectCommandError, selectEngineVersion, selectServer } from '../state/selectors';
import { CapacityChart } from './charts/CapacityChart';
import { KeyDistributionChart } from './charts/KeyDistributionChart';
import { LineageChart } from './charts/LineageChart';
import { RetentionChart } from './charts/RetentionChart';
import { ThrottlingChart } from './charts/ThrottlingChart';
import { ThroughputChart } from './charts/ThroughputChart';
import { EndpointPanel } from './EndpointPanel';
import { LargeTypeToggle } from './LargeTypeToggle';
import { ProducersPanel } from './ProducersPanel';
import { PutRecordForm } from './PutRecordForm';
import { ScenarioBar } from './ScenarioBar';
import { ShardTable } from './ShardTable';
import { StreamPanel } from './StreamPanel';
import { DiagnosisPanel } from './skew/DiagnosisPanel';
import { KeyInspector } from './skew/KeyInspector';
import { KeyspaceView } from './skew/KeyspaceView';
import { TimeBar } from './TimeBar';
import { UpdateShardCountForm } from './UpdateShardCountForm';

/** The simulator page: time controls, stream and producers on the left, charts and shards on the right. */
export function App() {
  const engineVersion = useSim(selectEngineVersion);
  const commandError = useSim(selectCommandError);
  const actions = useSim(selectActions);
  const server = useSim(selectServer);
  const where = server ? 'on the Shardlab server, shared with Kinesis clients' : 'in a Web Worker';
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Shardlab <span className="subtitle">a Kinesis Data Streams simulator</span>
        </h1>
        <div className="header-side">
          <p className="engine" data-testid="engine-status">
            {engineVersion ? `Engine ${engineVersion} running ${where}` : 'Starting the engine…'}
          </p>
          <LargeTypeToggle />
        </div>
      </header>
      <TimeBar />
      <ScenarioBar />
      {commandError ? (
        <p className="result error" role="alert">
          {commandError}{' '}
          <button type="button" className="link" onClick={actions.dismissCommandError}>
            Dismiss
          </button>
        </p>
      ) : null}
      <main className="layout">
        <section className="panel shards-panel" aria-labelledby="shards-heading">
          <h2 id="shards-heading">Shards</h2>
          <UpdateShardCountForm />
          <ShardTable />
        </section>
        <div className="column">
          <EndpointPanel />
          <StreamPanel />
          <ProducersPanel />
          <PutRecordForm />
          <KeyInspector />
        </div>
        <div className="column wide">
          <DiagnosisPanel />
          <section className="panel" aria-labelledby="charts-heading">
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
      </main>
    </div>
  );
}

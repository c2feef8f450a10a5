import { useSim } from '../state/SimStoreProvider';
import { selectCommandError, selectEngineVersion } from '../state/selectors';
import { ErrorLog } from './ErrorLog';
import { KeyDistributionChart } from './KeyDistributionChart';
import { ProducersPanel } from './ProducersPanel';
import { PutRecordForm } from './PutRecordForm';
import { ShardTable } from './ShardTable';
import { StreamPanel } from './StreamPanel';
import { TimeBar } from './TimeBar';

/** The simulator page: time controls, stream and producers on the left, charts and shards on the right. */
export function App() {
  const engineVersion = useSim(selectEngineVersion);
  const commandError = useSim(selectCommandError);
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          Shardlab <span className="subtitle">a Kinesis Data Streams simulator</span>
        </h1>
        <p className="engine" data-testid="engine-status">
          {engineVersion ? `Engine ${engineVersion} running in a Web Worker` : 'Starting the engine…'}
        </p>
      </header>
      <TimeBar />
      {commandError ? (
        <p className="result error" role="alert">
          {commandError}
        </p>
      ) : null}
      <main className="layout">
        <div className="column">
          <StreamPanel />
          <ProducersPanel />
          <PutRecordForm />
        </div>
        <div className="column wide">
          <section className="panel" aria-labelledby="charts-heading">
            <h2 id="charts-heading">Charts</h2>
            <KeyDistributionChart />
          </section>
          <section className="panel" aria-labelledby="shards-heading">
            <h2 id="shards-heading">Shards</h2>
            <ShardTable />
          </section>
          <section className="panel" aria-labelledby="errors-heading">
            <h2 id="errors-heading">Errors</h2>
            <ErrorLog />
          </section>
        </div>
      </main>
    </div>
  );
}

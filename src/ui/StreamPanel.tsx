import { type FormEvent, useState } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectResult, selectStream } from '../state/selectors';
import type { SimState } from '../state/store';
import type { StreamConfig } from '../worker/protocol';
import { ResultMessage } from './ResultMessage';

const selectSummary = (s: SimState) => {
  const stream = selectStream(s);
  return stream
    ? `${stream.streamName}|${stream.status}|${stream.mode}|${stream.retentionHours}|${stream.throttle}|${stream.shards.length}`
    : '';
};

/** Configure the stream: StreamName, shard count, RetentionPeriodHours and the throttle model. */
export function StreamPanel() {
  const actions = useSim(selectActions);
  const summary = useSim(selectSummary);
  const createResult = useSim(selectResult('createStream'));
  const retentionResult = useSim(selectResult('setRetention'));
  const [name, status, mode, retention, throttle, shardCount] = summary.split('|');
  const [form, setForm] = useState({
    streamName: 'shardlab-demo',
    shardCount: '4',
    retentionHours: '24',
    throttle: 'token-bucket',
  });
  const [retentionInput, setRetentionInput] = useState('24');
  const [formError, setFormError] = useState<string | null>(null);

  const create = (e: FormEvent) => {
    e.preventDefault();
    const shards = Number(form.shardCount);
    const hours = Number(form.retentionHours);
    if (!Number.isInteger(shards) || shards < 1 || shards > 500) {
      setFormError('Shard count must be a whole number from 1 to 500.');
      actions.clearResult('createStream');
      return;
    }
    if (!Number.isInteger(hours)) {
      setFormError('RetentionPeriodHours must be a whole number of hours (24 to 8760).');
      actions.clearResult('createStream');
      return;
    }
    setFormError(null);
    actions.createStream({
      streamName: form.streamName,
      shardCount: shards,
      retentionHours: hours,
      throttle: form.throttle as StreamConfig['throttle'],
    });
  };
  const applyRetention = (e: FormEvent) => {
    e.preventDefault();
    const hours = Number(retentionInput);
    if (!Number.isInteger(hours)) {
      setFormError('RetentionPeriodHours must be a whole number of hours (24 to 8760).');
      actions.clearResult('setRetention');
      return;
    }
    setFormError(null);
    actions.setRetention(hours);
  };

  return (
    <section className="panel" aria-labelledby="stream-heading">
      <h2 id="stream-heading">Stream</h2>
      <form onSubmit={create} className="form-grid" aria-label="Create stream" noValidate>
        <label>
          StreamName
          <input
            value={form.streamName}
            onChange={(e) => setForm({ ...form, streamName: e.target.value })}
            spellCheck={false}
          />
        </label>
        <label>
          Shard count
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={500}
            value={form.shardCount}
            onChange={(e) => setForm({ ...form, shardCount: e.target.value })}
          />
        </label>
        <label>
          RetentionPeriodHours
          <input
            type="number"
            inputMode="numeric"
            min={24}
            max={8760}
            value={form.retentionHours}
            onChange={(e) => setForm({ ...form, retentionHours: e.target.value })}
          />
        </label>
        <label>
          Throttle model
          <select value={form.throttle} onChange={(e) => setForm({ ...form, throttle: e.target.value })}>
            <option value="token-bucket">Token bucket (refills continuously)</option>
            <option value="fixed-window">Fixed 1-second windows</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Create stream
        </button>
      </form>
      {formError && (
        <p className="result error" role="alert">
          <span aria-hidden="true">✗ </span>
          {formError}
        </p>
      )}
      <ResultMessage result={createResult} success={() => 'Stream created afresh.'} />
      {name ? (
        <dl className="facts">
          <div>
            <dt>StreamName</dt>
            <dd data-testid="stream-name">{name}</dd>
          </div>
          <div>
            <dt>StreamStatus</dt>
            <dd>{status}</dd>
          </div>
          <div>
            <dt>StreamMode</dt>
            <dd>{mode}</dd>
          </div>
          <div>
            <dt>Open shards</dt>
            <dd>{shardCount}</dd>
          </div>
          <div>
            <dt>RetentionPeriodHours</dt>
            <dd data-testid="retention-hours">{retention}</dd>
          </div>
          <div>
            <dt>Throttling</dt>
            <dd>
              {throttle === 'fixed-window' ? 'fixed 1 s windows' : 'token bucket'}: 1,000 records/s and 1
              MiB/s per shard
            </dd>
          </div>
        </dl>
      ) : null}
      <form onSubmit={applyRetention} className="inline-form" aria-label="Change retention" noValidate>
        <label>
          New RetentionPeriodHours
          <input
            type="number"
            inputMode="numeric"
            value={retentionInput}
            onChange={(e) => setRetentionInput(e.target.value)}
          />
        </label>
        <button type="submit">Change retention</button>
      </form>
      <ResultMessage result={retentionResult} success={() => 'RetentionPeriodHours changed.'} />
    </section>
  );
}

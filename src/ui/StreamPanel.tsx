import { type FormEvent, useEffect, useRef, useState } from 'react';
import { forgetSharedLink } from '../scenario/share';
import { useSim, useSimStore } from '../state/SimStoreProvider';
import { selectActions, selectLimits, selectResult, selectStream } from '../state/selectors';
import type { SimState } from '../state/store';
import type { StreamConfig } from '../worker/protocol';
import { formatShardLimits } from './format';
import { ResultMessage } from './ResultMessage';

const selectGeneration = (s: SimState) => s.snapshot?.generation ?? null;

const selectSummary = (s: SimState) => {
  const stream = selectStream(s);
  return stream
    ? `${stream.streamName}|${stream.status}|${stream.mode}|${stream.retentionHours}|${stream.throttle}|${stream.shards.reduce((n, shard) => n + (shard.isOpen ? 1 : 0), 0)}`
    : '';
};

/** Configure the stream: StreamName, shard count, RetentionPeriodHours and the throttle model. */
export function StreamPanel() {
  const actions = useSim(selectActions);
  const summary = useSim(selectSummary);
  const createResult = useSim(selectResult('createStream'));
  const retentionResult = useSim(selectResult('setRetention'));
  const [name, status, mode, retention, throttle, shardCount] = summary.split('|');
  const limits = useSim(selectLimits);
  const maxShards = limits?.maxShards ?? 1;
  const retentionRange = limits ? `${limits.retentionMinHours} to ${limits.retentionMaxHours}` : '';
  const [form, setForm] = useState({
    streamName: 'shardlab-demo',
    shardCount: '4',
    retentionHours: '24',
    throttle: 'token-bucket',
    mode: 'PROVISIONED',
  });
  const onDemand = form.mode === 'ON_DEMAND';
  // When a scenario, link or seed replaces the stream, the form shows the stream now running.
  const generation = useSim(selectGeneration);
  const store = useSimStore();
  const seenGeneration = useRef<number | null>(null);
  useEffect(() => {
    if (generation === null) return;
    // The first generation is the default stream the form already shows: leave what a person typed.
    const first = seenGeneration.current === null;
    seenGeneration.current = generation;
    if (first) return;
    const stream = store.getState().snapshot?.scenario.stream;
    if (!stream) return;
    setForm({
      streamName: stream.streamName,
      shardCount: String(stream.shardCount),
      retentionHours: String(stream.retentionHours),
      throttle: stream.throttle,
      mode: stream.mode ?? 'PROVISIONED',
    });
    setRetentionInput(String(stream.retentionHours));
  }, [generation, store]);
  const [retentionInput, setRetentionInput] = useState('24');
  const [formError, setFormError] = useState<string | null>(null);

  const create = (e: FormEvent) => {
    e.preventDefault();
    const shards = Number(form.shardCount);
    const hours = Number(form.retentionHours);
    if (!onDemand && (!Number.isInteger(shards) || shards < 1 || shards > maxShards)) {
      setFormError(`Shard count must be a whole number from 1 to ${maxShards}.`);
      actions.clearResult('createStream');
      return;
    }
    if (!Number.isInteger(hours)) {
      setFormError(`RetentionPeriodHours must be a whole number of hours (${retentionRange}).`);
      actions.clearResult('createStream');
      return;
    }
    setFormError(null);
    forgetSharedLink();
    actions.createStream({
      streamName: form.streamName,
      shardCount: shards,
      retentionHours: hours,
      throttle: form.throttle as StreamConfig['throttle'],
      mode: onDemand ? 'ON_DEMAND' : 'PROVISIONED',
    });
  };
  const applyRetention = (e: FormEvent) => {
    e.preventDefault();
    const hours = Number(retentionInput);
    if (!Number.isInteger(hours)) {
      setFormError(`RetentionPeriodHours must be a whole number of hours (${retentionRange}).`);
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
          Capacity mode
          <select value={form.mode} onChange={(e) => setForm({ ...form, mode: e.target.value })}>
            <option value="PROVISIONED">PROVISIONED</option>
            <option value="ON_DEMAND">
              ON_DEMAND ({limits?.onDemandInitialShards ?? '…'} shards; scaling not simulated yet)
            </option>
          </select>
        </label>
        <label>
          Shard count
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={maxShards}
            value={onDemand ? '4' : form.shardCount}
            disabled={onDemand}
            aria-describedby={onDemand ? 'on-demand-note' : undefined}
            onChange={(e) => setForm({ ...form, shardCount: e.target.value })}
          />
        </label>
        <label>
          RetentionPeriodHours
          <input
            type="number"
            inputMode="numeric"
            min={limits?.retentionMinHours}
            max={limits?.retentionMaxHours}
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
      {onDemand ? (
        <p className="muted" id="on-demand-note">
          An ON_DEMAND stream starts with {limits?.onDemandInitialShards} shards, and each shard still takes
          at most {limits ? formatShardLimits(limits) : ''}: on-demand does not save a hot key. Shardlab does
          not simulate on-demand scaling yet.
        </p>
      ) : null}
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
              {throttle === 'fixed-window' ? 'fixed 1 s windows' : 'token bucket'}:{' '}
              {limits ? formatShardLimits(limits) : ''} per shard
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

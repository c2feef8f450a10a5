import { type FormEvent, useEffect, useRef, useState } from 'react';
import { forgetSharedLink } from '../scenario/share';
import { useSim, useSimStore } from '../state/SimStoreProvider';
import { selectActions, selectLimits, selectResult, selectStream } from '../state/selectors';
import type { SimState } from '../state/store';
import type { StreamConfig } from '../worker/protocol';
import { formatShardLimits } from './format';
import { LabelledSelect } from './LabelledSelect';
import { ON_DEMAND_SOURCE, peakText, scalingText } from './onDemand';
import { FormError, ResultMessage } from './ResultMessage';

const selectGeneration = (s: SimState) => s.snapshot?.generation ?? null;

const selectSummary = (s: SimState) => {
  const stream = selectStream(s);
  return stream
    ? `${stream.streamName}|${stream.status}|${stream.mode}|${stream.retentionHours}|${stream.throttle}|${stream.shards.reduce((n, shard) => n + (shard.isOpen ? 1 : 0), 0)}|${stream.recordDistribution}|${stream.pendingMode ?? ''}`
    : '';
};

/** The on-demand line (scaling under way, 30-day peak), changing at most once a virtual minute. */
const selectOnDemandLine = (s: SimState) => {
  const stream = selectStream(s);
  if (!stream?.onDemand) return '';
  const scaling = scalingText(stream);
  return `30-day peak of write demand: ${peakText(stream)}.${scaling ? ` ${scaling}` : ''}`;
};

type Mode = 'PROVISIONED' | 'ON_DEMAND';
type Distribution = 'USER_PARTITION_KEY' | 'AUTO';

/** Configure the stream: StreamName, shard count, RetentionPeriodHours and the throttle model. */
export function StreamPanel() {
  const actions = useSim(selectActions);
  const summary = useSim(selectSummary);
  const createResult = useSim(selectResult('createStream'));
  const retentionResult = useSim(selectResult('setRetention'));
  const modeResult = useSim(selectResult('updateStreamMode'));
  const distributionResult = useSim(selectResult('updateRecordDistribution'));
  const onDemandLine = useSim(selectOnDemandLine);
  const [name, status, mode, retention, throttle, shardCount, distribution, pendingMode] = summary.split('|');
  const otherMode: Mode = mode === 'ON_DEMAND' ? 'PROVISIONED' : 'ON_DEMAND';
  const otherDistribution: Distribution = distribution === 'AUTO' ? 'USER_PARTITION_KEY' : 'AUTO';
  const [askedMode, setAskedMode] = useState<Mode | null>(null);
  const [askedDistribution, setAskedDistribution] = useState<Distribution | null>(null);
  const limits = useSim(selectLimits);
  const maxShards = limits?.maxShards ?? 1;
  const retentionRange = limits ? `${limits.retentionMinHours} to ${limits.retentionMaxHours}` : '';
  const [form, setForm] = useState({
    streamName: 'shardlab-demo',
    shardCount: '4',
    retentionHours: '24',
    throttle: 'token-bucket',
    mode: 'PROVISIONED',
    recordDistribution: 'USER_PARTITION_KEY',
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
      recordDistribution: stream.recordDistribution ?? 'USER_PARTITION_KEY',
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
      ...(onDemand && form.recordDistribution === 'AUTO' ? { recordDistribution: 'AUTO' as const } : {}),
    });
  };
  const switchMode = () => {
    setAskedMode(otherMode);
    actions.updateStreamMode(otherMode);
  };
  const switchDistribution = () => {
    setAskedDistribution(otherDistribution);
    actions.updateRecordDistribution(otherDistribution);
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
        <LabelledSelect
          label="Capacity mode"
          value={form.mode}
          onChange={(e) => setForm({ ...form, mode: e.target.value })}
        >
          <option value="PROVISIONED">PROVISIONED</option>
          <option value="ON_DEMAND">
            ON_DEMAND ({limits?.onDemandInitialShards ?? '…'} shards to start)
          </option>
        </LabelledSelect>
        {onDemand ? (
          <LabelledSelect
            label="Record distribution"
            value={form.recordDistribution}
            aria-describedby="on-demand-note"
            onChange={(e) => setForm({ ...form, recordDistribution: e.target.value })}
          >
            <option value="USER_PARTITION_KEY">USER_PARTITION_KEY (by PartitionKey)</option>
            <option value="AUTO">AUTO (even, keys ignored)</option>
          </LabelledSelect>
        ) : null}
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
        <LabelledSelect
          label="Throttle model"
          value={form.throttle}
          onChange={(e) => setForm({ ...form, throttle: e.target.value })}
        >
          <option value="token-bucket">Token bucket (refills continuously)</option>
          <option value="fixed-window">Fixed 1-second windows</option>
        </LabelledSelect>
        <button type="submit" className="primary">
          Create stream
        </button>
      </form>
      {onDemand ? (
        <p className="muted" id="on-demand-note">
          An ON_DEMAND stream starts with {limits?.onDemandInitialShards} shards, and each shard still takes
          at most {limits ? formatShardLimits(limits) : ''}. On-demand scaling ({ON_DEMAND_SOURCE}) adds
          shards by splitting ranges, never by key: it does not save a hot key. Record distribution AUTO
          spreads records evenly whatever their key: no skew, but per-key order is lost.
        </p>
      ) : null}
      <FormError message={formError} />
      <ResultMessage result={createResult} success={() => 'Stream created afresh.'} />
      {name ? (
        <dl className="facts">
          <div>
            <dt>StreamName</dt>
            <dd data-testid="stream-name">{name}</dd>
          </div>
          <div>
            <dt>StreamStatus</dt>
            <dd data-testid="stream-status">{status}</dd>
          </div>
          <div>
            <dt>StreamMode</dt>
            <dd data-testid="stream-mode">
              {mode}
              {pendingMode ? ` → ${pendingMode} (UPDATING)` : ''}
            </dd>
          </div>
          <div>
            <dt>Record distribution</dt>
            <dd data-testid="record-distribution">{distribution}</dd>
          </div>
          <div>
            <dt>Open shards</dt>
            <dd data-testid="open-shards">{shardCount}</dd>
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
      {name ? (
        <fieldset className="capacity-switches">
          <legend>Capacity on the running stream</legend>
          <div className="inline-form">
            <button type="button" onClick={switchMode} aria-describedby="mode-switch-help">
              Switch to {otherMode}
            </button>
            <button
              type="button"
              onClick={switchDistribution}
              disabled={mode !== 'ON_DEMAND'}
              aria-describedby="auto-help"
            >
              Record distribution: switch to {otherDistribution}
            </button>
          </div>
          <p className="muted" id="mode-switch-help">
            UpdateStreamMode: the stream keeps its shards and is UPDATING until the switch is done; at most
            two switches in a rolling 24 hours.
          </p>
          {pendingMode ? (
            <p className="reshard-status" data-testid="mode-status">
              {status}: UpdateStreamMode to {pendingMode}; the stream keeps its {shardCount} shards meanwhile.
            </p>
          ) : null}
          <ResultMessage
            result={modeResult}
            success={() =>
              `UpdateStreamMode accepted: the stream is UPDATING and becomes ${askedMode ?? 'the other mode'} when it settles.`
            }
          />
          <p className="muted" id="auto-help">
            {mode === 'ON_DEMAND'
              ? 'AUTO spreads records evenly over the open shards whatever their PartitionKey: no skew, but per-key order is lost (and SequenceNumberForOrdering is refused).'
              : 'AUTO needs an ON_DEMAND stream. It spreads records evenly whatever their PartitionKey, so per-key order is lost.'}
          </p>
          <ResultMessage
            result={distributionResult}
            success={() =>
              `UpdateStreamRecordDistributionStrategy accepted: records are now placed ${askedDistribution === 'AUTO' ? 'evenly (AUTO), keys ignored' : 'by PartitionKey (USER_PARTITION_KEY)'}; records already written stay where they are.`
            }
          />
          {onDemandLine ? (
            <p className="muted" data-testid="on-demand-line">
              {onDemandLine}
            </p>
          ) : null}
        </fieldset>
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

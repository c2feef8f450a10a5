import { type FormEvent, useRef, useState } from 'react';
import { useSim, useSimStore } from '../state/SimStoreProvider';
import { selectActions, selectLimits, selectResult } from '../state/selectors';
import type { SimState } from '../state/store';
import type {
  JitterKind,
  KeyDistribution,
  ProducerSpec,
  ProducerTotals,
  RetryPolicy,
} from '../worker/engineTypes';
import type { EngineLimits } from '../worker/protocol';
import { formatByteLimit, formatCount, formatVirtualTime } from './format';
import { KplRates } from './KplRates';
import { LabelledSelect } from './LabelledSelect';
import { ResultMessage } from './ResultMessage';
import { RetryStats } from './RetryStats';
import { ScrollRegion } from './ScrollRegion';

type Kind = KeyDistribution['kind'];
const KINDS: { kind: Kind; label: string }[] = [
  { kind: 'uniform', label: 'Uniform over N keys' },
  { kind: 'zipf', label: 'Zipf over N keys' },
  { kind: 'hotKey', label: 'One hot key + uniform rest' },
  { kind: 'sequential', label: 'Sequential ids (id-0, id-1, …)' },
  { kind: 'timestamp', label: 'Timestamp as key (the virtual second)' },
  { kind: 'weighted', label: 'My keys with weights' },
  { kind: 'explicitHashKeys', label: 'ExplicitHashKey (uniform, or my list)' },
];

const initial = {
  name: 'producer-1',
  api: 'PutRecords' as ProducerSpec['api'],
  batchSize: '500',
  payloadMin: '100',
  payloadMax: '100',
  rate: '2000',
  recordCount: '',
  durationSeconds: '',
  burstCount: '5000',
  kind: 'uniform' as Kind,
  keyCount: '1000',
  exponent: '1.1',
  hotKey: 'celebrity',
  hotPercent: '50',
  weighted: 'alpha=5\nbeta=1\ngamma=1',
  hashKeys: '',
  // Retries: none by default (what the simulator did before retries existed); see retryOf.
  retryKind: 'none' as RetryPolicy['kind'],
  retryAttempts: '3',
  retryBaseMs: '100',
  retryCapMs: '20000',
  retryJitter: 'full' as JitterKind,
  // KPL aggregation and collection (engine/producers/kplAggregator.ts); '' max size = the KPL's default.
  kpl: false,
  kplMaxBytes: '',
  kplCollection: true,
};
type FormState = typeof initial;

/** The form's retry policy (the worker checks the numbers and names the field at fault). */
function retryOf(f: FormState): RetryPolicy {
  if (f.retryKind === 'custom')
    return {
      kind: 'custom',
      maxAttempts: Number(f.retryAttempts),
      baseMs: Number(f.retryBaseMs),
      capMs: Number(f.retryCapMs),
      jitter: f.retryJitter,
    };
  return { kind: f.retryKind };
}

/** A retry policy in a few words, for the producer table. */
export function retryText(policy: RetryPolicy | undefined): string {
  if (!policy || policy.kind === 'none') return 'none';
  if (policy.kind === 'sdkDefault') return 'AWS SDK default';
  const jitter = policy.jitter === 'none' ? 'no jitter' : `${policy.jitter} jitter`;
  return `${policy.maxAttempts} attempts, ${formatCount(policy.baseMs)}–${formatCount(policy.capMs)} ms, ${jitter}`;
}

function distributionOf(f: FormState): KeyDistribution {
  const keyCount = Number(f.keyCount);
  switch (f.kind) {
    case 'uniform':
      return { kind: 'uniform', keyCount };
    case 'zipf':
      return { kind: 'zipf', keyCount, exponent: Number(f.exponent) };
    case 'hotKey':
      return { kind: 'hotKey', hotKey: f.hotKey, hotPercent: Number(f.hotPercent), keyCount };
    case 'sequential':
      return { kind: 'sequential' };
    case 'timestamp':
      return { kind: 'timestamp' };
    case 'weighted':
      return {
        kind: 'weighted',
        keys: f.weighted
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '')
          .map((line) => {
            const at = line.lastIndexOf('=');
            return at > 0
              ? { key: line.slice(0, at), weight: Number(line.slice(at + 1)) }
              : { key: line, weight: 1 };
          }),
      };
    case 'explicitHashKeys': {
      const list = f.hashKeys.split(/[\s,]+/).filter((h) => h !== '');
      return list.length > 0 ? { kind: 'explicitHashKeys', hashKeys: list } : { kind: 'explicitHashKeys' };
    }
  }
}

function specOf(f: FormState, burst: boolean, kplDefaultBytes = 0): ProducerSpec {
  const spec: ProducerSpec = {
    name: f.name,
    api: f.api,
    batchSize: Number(f.batchSize),
    payloadBytes: { min: Number(f.payloadMin), max: Number(f.payloadMax) },
    rate: burst ? 'burst' : Number(f.rate),
    distribution: distributionOf(f),
  };
  // Absent means none: a producer without retries keeps the spec (and share link) it always had.
  // A KPL producer takes no retry policy (the engine refuses one: the KPL's own retries are not simulated).
  if (f.retryKind !== 'none' && !f.kpl) spec.retry = retryOf(f);
  if (f.kpl)
    spec.kpl = {
      aggregationMaxBytes: f.kplMaxBytes === '' ? kplDefaultBytes : Number(f.kplMaxBytes),
      collection: f.kplCollection,
    };
  if (burst) spec.recordCount = Number(f.burstCount);
  else {
    if (f.recordCount !== '') spec.recordCount = Number(f.recordCount);
    if (f.durationSeconds !== '') spec.durationMs = Number(f.durationSeconds) * 1000;
  }
  return spec;
}

/** The form showing an existing producer's settings, for editing. */
function formOf(spec: ProducerSpec): FormState {
  const d = spec.distribution;
  return {
    ...initial,
    name: spec.name,
    api: spec.api,
    batchSize: String(spec.batchSize),
    payloadMin: String(spec.payloadBytes.min),
    payloadMax: String(spec.payloadBytes.max),
    rate: spec.rate === 'burst' ? initial.rate : String(spec.rate),
    recordCount: spec.rate !== 'burst' && spec.recordCount !== undefined ? String(spec.recordCount) : '',
    durationSeconds: spec.durationMs !== undefined ? String(spec.durationMs / 1000) : '',
    burstCount:
      spec.rate === 'burst' && spec.recordCount !== undefined ? String(spec.recordCount) : initial.burstCount,
    kind: d.kind,
    keyCount: 'keyCount' in d ? String(d.keyCount) : initial.keyCount,
    exponent: d.kind === 'zipf' ? String(d.exponent) : initial.exponent,
    hotKey: d.kind === 'hotKey' ? d.hotKey : initial.hotKey,
    hotPercent: d.kind === 'hotKey' ? String(d.hotPercent) : initial.hotPercent,
    weighted: d.kind === 'weighted' ? d.keys.map((k) => `${k.key}=${k.weight}`).join('\n') : initial.weighted,
    hashKeys: d.kind === 'explicitHashKeys' ? (d.hashKeys ?? []).join('\n') : initial.hashKeys,
    retryKind: spec.retry?.kind ?? 'none',
    retryAttempts: spec.retry?.kind === 'custom' ? String(spec.retry.maxAttempts) : initial.retryAttempts,
    retryBaseMs: spec.retry?.kind === 'custom' ? String(spec.retry.baseMs) : initial.retryBaseMs,
    retryCapMs: spec.retry?.kind === 'custom' ? String(spec.retry.capMs) : initial.retryCapMs,
    retryJitter: spec.retry?.kind === 'custom' ? spec.retry.jitter : initial.retryJitter,
    kpl: spec.kpl !== undefined,
    kplMaxBytes: spec.kpl ? String(spec.kpl.aggregationMaxBytes) : initial.kplMaxBytes,
    kplCollection: spec.kpl ? spec.kpl.collection : initial.kplCollection,
  };
}

/** The first `producer-N` (N from 1) not in `taken`. */
export function nextProducerName(taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`producer-${n}`)) return `producer-${n}`;
}

/** A key distribution in a few words: "uniform over 1,000 keys". */
function keysText(d: KeyDistribution): string {
  switch (d.kind) {
    case 'uniform':
      return `uniform over ${formatCount(d.keyCount)} keys`;
    case 'zipf':
      return `Zipf over ${formatCount(d.keyCount)} keys, s = ${d.exponent}`;
    case 'hotKey':
      return `"${d.hotKey}" ${d.hotPercent} %, the rest uniform over ${formatCount(d.keyCount)} keys`;
    case 'sequential':
      return 'sequential ids';
    case 'timestamp':
      return 'the virtual second';
    case 'weighted':
      return `${formatCount(d.keys.length)} keys with weights`;
    case 'explicitHashKeys':
      return d.hashKeys
        ? `${formatCount(d.hashKeys.length)} ExplicitHashKeys`
        : 'ExplicitHashKeys uniform over the hash space';
  }
}

/** A burst as its answer tells it: how many records, through which API, keyed how, and when. */
export function burstText(spec: ProducerSpec, at: { nowMs: number; playing: boolean }): string {
  const count = spec.recordCount ?? 0;
  // A KPL producer's requests depend on how its records aggregate: say how they go, not a count.
  const requests = spec.kpl
    ? `KPL-aggregated into records of up to ${formatCount(spec.kpl.aggregationMaxBytes)} bytes, sent ${spec.kpl.collection ? 'in PutRecords' : 'one PutRecord each'}`
    : spec.api === 'PutRecord'
      ? `${formatCount(count)} PutRecord requests`
      : `${formatCount(Math.ceil(count / Math.max(1, spec.batchSize)))} PutRecords requests of up to ${formatCount(spec.batchSize)}`;
  const keys = keysText(spec.distribution);
  const what = `${formatCount(count)} records (${requests}, keys: ${keys})`;
  return at.playing
    ? `Burst of ${what} sent by ${spec.name} at once, at the virtual instant ${formatVirtualTime(at.nowMs)}.`
    : `Burst of ${what} queued by ${spec.name}: the clock is paused, so it is sent at the current instant, ${formatVirtualTime(at.nowMs)}, when you press Play or Step.`;
}

/** Add, edit, start, stop and remove producers with a key distribution; or fire a one-off burst. */
export function ProducersPanel() {
  const actions = useSim(selectActions);
  const result = useSim(selectResult('addProducer'));
  const retryLimits = useSim(selectLimits)?.retry;
  const store = useSimStore();
  const limits = useSim(selectLimits);
  const maxRecordKiB = useSim(selectMaxRecordKiB);
  const [form, setForm] = useState(initial);
  // What the last Add producer / Fire burst sent, to say so in its answer; and the names sent that the
  // snapshot may not list yet (fast repeated clicks), per simulation.
  const [lastAdd, setLastAdd] = useState<{ spec: ProducerSpec; nowMs: number; playing: boolean } | null>(
    null,
  );
  const [nameError, setNameError] = useState<string | null>(null);
  const sentNames = useRef<{ generation: number; names: Set<string> }>({ generation: -1, names: new Set() });
  /**
   * The producer being edited (its id, whether it was a burst, and the generation of the simulation it
   * belongs to: a save after a scenario replaced it is refused, not applied to the new one), or null.
   */
  const [editing, setEditing] = useState<{
    id: number;
    burst: boolean;
    generation: number;
    /** cwlens: the producer's rate shape (bursts each cycle), kept by an edit: the form has no field for it. */
    rateShape?: ProducerSpec['rateShape'];
  } | null>(null);
  const set = (field: keyof FormState) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value });

  /** A `producer-N` name no producer of the running simulation has (read at the moment it is needed). */
  const freeName = () =>
    nextProducerName(new Set((store.getState().snapshot?.producers ?? []).map((p) => p.spec.name)));

  const kplDefault = limits?.kplAggregationMaxBytesDefault ?? 0;
  const submit = (burst: boolean) => (e?: FormEvent) => {
    e?.preventDefault();
    if (editing) {
      const spec = specOf(form, editing.burst, kplDefault);
      if (editing.rateShape && spec.rate !== 'burst') spec.rateShape = editing.rateShape;
      actions.updateProducer(editing.id, spec, editing.generation);
      setEditing(null);
      setForm((f) => ({ ...f, name: freeName() }));
      return;
    }
    // Names are chosen from the newest snapshot at click time plus the names sent since, never from what
    // this render saw: two fast clicks never send the same name.
    const state = store.getState();
    const generation = state.snapshot?.generation ?? 0;
    if (sentNames.current.generation !== generation) sentNames.current = { generation, names: new Set() };
    const taken = new Set([
      ...(state.snapshot?.producers ?? []).map((p) => p.spec.name),
      ...sentNames.current.names,
    ]);
    let name = form.name.trim();
    if (taken.has(name)) {
      if (!/^producer-\d+$/.test(name)) {
        setNameError(`A producer named "${name}" already exists: choose another name.`);
        return;
      }
      name = nextProducerName(taken);
    }
    setNameError(null);
    const spec = { ...specOf(form, burst, kplDefault), name };
    taken.add(name);
    sentNames.current.names.add(name);
    setLastAdd({ spec, nowMs: state.clock?.nowMs ?? 0, playing: state.clock?.playing ?? false });
    actions.addProducer(spec);
    setForm((f) => ({ ...f, name: nextProducerName(taken) }));
  };
  const edit = (id: number, spec: ProducerSpec, generation: number) => {
    setEditing({ id, burst: spec.rate === 'burst', generation, rateShape: spec.rateShape });
    setForm(formOf(spec));
  };
  const k = form.kind;
  return (
    <section className="panel" aria-labelledby="producers-heading">
      <h2 id="producers-heading">Put records</h2>
      <form
        onSubmit={submit(false)}
        className="form-grid"
        aria-label={editing ? `Edit producer ${form.name}` : 'Add producer'}
        noValidate
      >
        <label>
          Name
          <input value={form.name} onChange={set('name')} />
        </label>
        {form.kpl ? null : (
          <LabelledSelect label="API" value={form.api} onChange={set('api')}>
            <option value="PutRecords">PutRecords</option>
            <option value="PutRecord">PutRecord</option>
          </LabelledSelect>
        )}
        {form.api === 'PutRecords' && !form.kpl ? (
          <label>
            Batch size (entries)
            <input type="number" value={form.batchSize} onChange={set('batchSize')} />
          </label>
        ) : null}
        <label>
          Data bytes (min)
          <input type="number" value={form.payloadMin} onChange={set('payloadMin')} />
        </label>
        <label>
          Data bytes (max)
          <input type="number" value={form.payloadMax} onChange={set('payloadMax')} />
        </label>
        <label>
          Rate (records/s)
          <input type="number" value={form.rate} onChange={set('rate')} />
        </label>
        <label>
          Stop after records (optional)
          <input type="number" value={form.recordCount} onChange={set('recordCount')} />
        </label>
        <label>
          Stop after seconds (optional)
          <input type="number" value={form.durationSeconds} onChange={set('durationSeconds')} />
        </label>
        <KplFields form={form} setForm={setForm} limits={limits} maxRecordKiB={maxRecordKiB} />
        <LabelledSelect className="wide" label="Key distribution" value={form.kind} onChange={set('kind')}>
          {KINDS.map((o) => (
            <option key={o.kind} value={o.kind}>
              {o.label}
            </option>
          ))}
        </LabelledSelect>
        {k === 'uniform' || k === 'zipf' || k === 'hotKey' ? (
          <label>
            Distinct keys (N)
            <input type="number" value={form.keyCount} onChange={set('keyCount')} />
          </label>
        ) : null}
        {k === 'zipf' ? (
          <label>
            Zipf exponent (s)
            <input type="number" step="0.1" value={form.exponent} onChange={set('exponent')} />
          </label>
        ) : null}
        {k === 'hotKey' ? (
          <>
            <label>
              Hot PartitionKey
              <input value={form.hotKey} onChange={set('hotKey')} />
            </label>
            <label>
              Hot key share (%)
              <input type="number" value={form.hotPercent} onChange={set('hotPercent')} />
            </label>
          </>
        ) : null}
        {k === 'weighted' ? (
          <label className="wide">
            Keys, one per line as key=weight
            <textarea rows={3} value={form.weighted} onChange={set('weighted')} spellCheck={false} />
          </label>
        ) : null}
        {k === 'explicitHashKeys' ? (
          <label className="wide">
            ExplicitHashKey values (empty = uniform over the hash space)
            <textarea rows={2} value={form.hashKeys} onChange={set('hashKeys')} spellCheck={false} />
          </label>
        ) : null}
        <fieldset className="wide retry-fields">
          <legend>Retries</legend>
          {form.kpl ? (
            <p className="muted wide" data-testid="retry-owner">
              With KPL aggregation the KPL retries failed records itself (until their RecordTtl, 30 s by
              default), which Shardlab does not simulate: this producer sends each Kinesis record once, and a
              throttled one drops the user records it carries.
            </p>
          ) : (
            <>
              <LabelledSelect label="Retry policy" value={form.retryKind} onChange={set('retryKind')}>
                <option value="none">None: send each record once</option>
                <option value="sdkDefault">
                  AWS SDK default
                  {retryLimits
                    ? ` (${retryLimits.sdkMaxAttempts} attempts, full jitter, ${formatCount(retryLimits.sdkThrottlingBaseMs)} ms base after throttling)`
                    : ''}
                </option>
                <option value="custom">Custom backoff</option>
              </LabelledSelect>
              {form.retryKind === 'custom' ? (
                <>
                  <label>
                    Attempts in all
                    <input
                      type="number"
                      min={1}
                      max={retryLimits?.customMaxAttempts}
                      value={form.retryAttempts}
                      onChange={set('retryAttempts')}
                    />
                  </label>
                  <label>
                    Backoff base (ms)
                    <input type="number" min={1} value={form.retryBaseMs} onChange={set('retryBaseMs')} />
                  </label>
                  <label>
                    Backoff cap (ms)
                    <input
                      type="number"
                      min={1}
                      max={retryLimits?.customMaxCapMs}
                      value={form.retryCapMs}
                      onChange={set('retryCapMs')}
                    />
                  </label>
                  <LabelledSelect label="Jitter" value={form.retryJitter} onChange={set('retryJitter')}>
                    <option value="full">Full (random × backoff, as the SDK)</option>
                    <option value="equal">Equal (half fixed, half random)</option>
                    <option value="none">None (every record waits the same)</option>
                  </LabelledSelect>
                </>
              ) : null}
              {form.retryKind !== 'none' ? (
                <p className="muted wide" data-testid="retry-owner">
                  {form.api === 'PutRecords'
                    ? 'PutRecords: failed entries come back inside an HTTP 200, so the SDK does not retry them — they are retried by your code, not by the SDK (here with this policy, failed entries only, in order). The SDK retries only a call that fails whole (an injected fault).'
                    : 'PutRecord: the SDK retries a throttled call (ProvisionedThroughputExceededException) and an InternalFailure (HTTP 500) itself.'}
                </p>
              ) : null}
            </>
          )}
        </fieldset>
        {editing ? (
          <>
            {editing.rateShape ? (
              <p className="muted wide">
                Keeps its bursts of {formatCount(editing.rateShape.burstRate)} records/s for the first{' '}
                {formatCount(editing.rateShape.burstMs / 1000)} s of every{' '}
                {formatCount(editing.rateShape.periodMs / 1000)} s (set in its scenario file); Rate applies
                the rest of the time.
              </p>
            ) : null}
            {editing.burst ? (
              <label>
                Burst records
                <input type="number" value={form.burstCount} onChange={set('burstCount')} />
              </label>
            ) : null}
            <button type="submit" className="primary">
              Save changes
            </button>
            <button
              type="button"
              onClick={() => {
                setEditing(null);
                setForm({ ...initial, name: freeName() });
              }}
            >
              Cancel editing
            </button>
          </>
        ) : (
          <>
            <button type="submit" className="primary">
              Add producer
            </button>
            <label>
              Burst records
              <input type="number" value={form.burstCount} onChange={set('burstCount')} />
            </label>
            <button type="button" onClick={() => submit(true)()}>
              Fire burst
            </button>
          </>
        )}
      </form>
      {nameError ? (
        <p className="result error" role="alert">
          {nameError}
        </p>
      ) : null}
      <ResultMessage
        result={result}
        success={(o) =>
          lastAdd && result?.operation === 'AddProducer' && lastAdd.spec.rate === 'burst'
            ? burstText(lastAdd.spec, lastAdd)
            : lastAdd && result?.operation === 'AddProducer'
              ? `Producer ${lastAdd.spec.name} added (id ${String(o.id)}).`
              : `Producer ${String(o.id)} saved.`
        }
      />
      <ProducerTable onEdit={edit} />
      <RetryStats />
      <KplRates />
    </section>
  );
}

// The view's producers: refreshed with the shard table's figures (see SimState.viewProducers).
const selectProducers = (s: SimState) => s.viewProducers ?? s.snapshot?.producers;
const selectMaxRecordKiB = (s: SimState) => s.snapshot?.stream?.maxRecordSizeKiB;

/**
 * The form's KPL options [model §12]: aggregation (a checkbox and AggregationMaxSize in bytes, at most the
 * stream's max record size) and collection (PutRecords of up to 500 Kinesis records / 5 MiB).
 */
function KplFields({
  form,
  setForm,
  limits,
  maxRecordKiB,
}: {
  form: FormState;
  setForm: (f: FormState) => void;
  limits: EngineLimits | null;
  maxRecordKiB: number | undefined;
}) {
  // The aggregate's data plus its key "a" fit the stream's max record size (the engine's figures).
  const max =
    maxRecordKiB === undefined || !limits
      ? undefined
      : maxRecordKiB * 1024 - limits.kplAggregatePartitionKeyBytes;
  const defaultBytes = limits?.kplAggregationMaxBytesDefault ?? 0;
  return (
    <fieldset className="wide form-grid">
      <legend>KPL (Kinesis Producer Library)</legend>
      <label className="inline-field">
        <input
          type="checkbox"
          checked={form.kpl}
          onChange={(e) =>
            setForm({
              ...form,
              kpl: e.target.checked,
              kplMaxBytes: form.kplMaxBytes === '' ? String(defaultBytes) : form.kplMaxBytes,
            })
          }
        />{' '}
        KPL aggregation
      </label>
      {form.kpl ? (
        <>
          <label>
            Aggregation max size (bytes)
            <input
              type="number"
              min={limits?.kplAggregationMaxBytesMin}
              max={max}
              placeholder={formatCount(defaultBytes)}
              value={form.kplMaxBytes}
              onChange={(e) => setForm({ ...form, kplMaxBytes: e.target.value })}
              aria-describedby="kpl-size-hint"
            />
          </label>
          <label className="inline-field">
            <input
              type="checkbox"
              checked={form.kplCollection}
              onChange={(e) => setForm({ ...form, kplCollection: e.target.checked })}
            />{' '}
            Collection (PutRecords batching)
          </label>
          <p id="kpl-size-hint" className="muted wide">
            User records are packed per predicted shard into aggregated records of at most this size
            {max !== undefined ? ` (at most ${formatCount(max)} bytes on this stream)` : ''}; each goes out
            with PartitionKey "a" and its first user record's hash key as ExplicitHashKey. Collection sends
            them in PutRecords of up to {formatCount(limits?.kplCollectionMaxCount ?? 0)} records /{' '}
            {formatByteLimit(limits?.kplCollectionMaxBytes ?? 0)}; without it, one PutRecord each.
          </p>
        </>
      ) : null}
    </fieldset>
  );
}
const selectGeneration = (s: SimState) => s.snapshot?.generation ?? 0;

/**
 * A producer's State cell: whether it sends (and whether the clock lets it: a paused clock sends nothing),
 * and whether its latest records were simulated in aggregate (counts per shard) rather than one by one.
 */
export function producerStateText(
  p: Pick<ProducerTotals, 'running' | 'aggregated'>,
  playing: boolean,
): string {
  if (!p.running) return p.aggregated ? 'stopped (last records in aggregate)' : 'stopped';
  if (!playing)
    return p.aggregated ? 'waiting: clock paused (last records in aggregate)' : 'waiting: clock paused';
  return p.aggregated ? 'running (aggregate)' : 'running';
}

const selectPlaying = (s: SimState) => s.clock?.playing ?? s.snapshot?.playing ?? false;

function ProducerTable({ onEdit }: { onEdit: (id: number, spec: ProducerSpec, generation: number) => void }) {
  const producers = useSim(selectProducers);
  const playing = useSim(selectPlaying);
  // The simulation these rows belong to: their commands carry it, so one made for a replaced scenario is
  // refused by the worker instead of acting on the new scenario's producer with the same id.
  const generation = useSim(selectGeneration);
  const actions = useSim(selectActions);
  // Specs are read by id when Edit is pressed (never by position), from the newest snapshot of this
  // simulation: they change only when a producer does.
  const store = useSimStore();
  if (!producers || producers.length === 0) return <p className="muted">No producers yet.</p>;
  return (
    <ScrollRegion label="Producer table">
      <table aria-label="Producers">
        <thead>
          <tr>
            <th scope="col">Producer</th>
            <th scope="col">State</th>
            <th scope="col">Attempted</th>
            <th scope="col">Accepted</th>
            <th scope="col">Throttled</th>
            <th scope="col">Rejected</th>
            <th scope="col">Retries</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {producers.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td>
                {producerStateText(p, playing)}
                {!p.running && p.kpl?.refusedReason ? (
                  <span className="muted"> — {p.kpl.refusedReason}</span>
                ) : null}
              </td>
              <td>{formatCount(p.attempted)}</td>
              <td>{formatCount(p.accepted)}</td>
              <td>{formatCount(p.throttled)}</td>
              <td>
                {formatCount(p.rejected)}
                {p.requestsRejected > 0 ? (
                  <span className="muted">
                    {' '}
                    ({formatCount(p.requestsRejected)} {p.requestsRejected === 1 ? 'request' : 'requests'}{' '}
                    refused whole)
                  </span>
                ) : null}
              </td>
              <td>{retryText(p.spec.retry)}</td>
              <td className="actions">
                <button
                  type="button"
                  onClick={() => actions.setProducerRunning(p.id, !p.running, generation)}
                  aria-label={`${p.running ? 'Stop' : 'Start'} ${p.name}`}
                >
                  {p.running ? 'Stop' : 'Start'}
                </button>
                <button
                  type="button"
                  onClick={() => {
                    // The newest spec of this producer (by id), or this row's if a new simulation has
                    // replaced it meanwhile (its save will then be refused, with a message).
                    const snapshot = store.getState().snapshot;
                    const newest =
                      snapshot?.generation === generation
                        ? snapshot.producers.find((q) => q.id === p.id)?.spec
                        : undefined;
                    onEdit(p.id, newest ?? p.spec, generation);
                  }}
                  aria-label={`Edit ${p.name}`}
                >
                  Edit
                </button>
                <button
                  type="button"
                  onClick={() => actions.removeProducer(p.id, generation)}
                  aria-label={`Remove ${p.name}`}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

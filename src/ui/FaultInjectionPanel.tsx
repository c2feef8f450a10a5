import { type FormEvent, Fragment, type ReactNode, useState } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectLimits, selectNowMs, selectResult, selectStreamName } from '../state/selectors';
import type { SimState } from '../state/store';
import type { FaultError, FaultStatus } from '../worker/engineTypes';
import type { FaultRequest } from '../worker/protocol';
import { formatCount, formatSpan, formatVirtualTime } from './format';
import { LabelledSelect } from './LabelledSelect';
import { FormError, ResultMessage } from './ResultMessage';
import { ScrollRegion } from './ScrollRegion';

const selectFaults = (s: SimState) => s.snapshot?.faults;

/** A set fault as the page sends it back when the list changes: its window kept where it is. */
const requestOf = (f: FaultStatus): FaultRequest => ({
  error: f.spec.error,
  sharePercent: f.spec.sharePercent,
  startMs: f.spec.startMs,
  durationMs: f.spec.durationMs,
  ...(f.spec.streamName !== undefined ? { streamName: f.spec.streamName } : {}),
});

/** A form field's number, or undefined when it is empty or not a finite number. */
function numberOf(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Whether a fault's window is ahead, open or over at `nowMs`. */
function phase(f: FaultStatus, nowMs: number): string {
  if (nowMs < f.spec.startMs) return 'scheduled';
  if (nowMs < f.spec.startMs + f.spec.durationMs) return 'active';
  return 'ended';
}

/**
 * Seeded fault injection, like AWS Fault Injection Service's Kinesis actions: a share of PutRecord and
 * PutRecords calls (the page's producers and endpoint clients alike) answered whole with
 * ProvisionedThroughputExceededException or InternalFailure for a window of virtual time. The worker keeps
 * the faults and counts what each failed; the same seed fails the same calls.
 */
export function FaultInjectionPanel() {
  const actions = useSim(selectActions);
  const result = useSim(selectResult('faults'));
  const faults = useSim(selectFaults);
  const nowMs = useSim(selectNowMs) ?? 0;
  const streamName = useSim(selectStreamName);
  const limits = useSim(selectLimits)?.faults;
  const max = limits?.max ?? 0;
  const [formError, setFormError] = useState<string | null>(null);
  const [form, setForm] = useState({
    error: 'ProvisionedThroughputExceededException' as FaultError,
    share: '25',
    startIn: '0',
    duration: '60',
    scope: 'stream' as 'stream' | 'all',
  });
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [field]: e.target.value });
  const list = faults ?? [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // An empty field is refused here, naming it (Number('') is 0: it would become a 0 % fault, or "now");
    // the share's range is the worker's check, bounds the form can read are checked here too.
    const share = numberOf(form.share);
    const startIn = numberOf(form.startIn);
    const duration = numberOf(form.duration);
    const maxStartS = (limits?.maxStartMs ?? Number.POSITIVE_INFINITY) / 1000;
    const maxDurationS = (limits?.maxDurationMs ?? Number.POSITIVE_INFINITY) / 1000;
    const problem =
      share === undefined
        ? 'Share of calls: type a share above 0 and at most 100 %.'
        : startIn === undefined || startIn < 0 || startIn > maxStartS
          ? `Starts in: type 0 for now, or virtual seconds from now up to ${formatCount(maxStartS)}.`
          : duration === undefined || duration <= 0 || duration > maxDurationS
            ? `Lasts: type virtual seconds above 0, up to ${formatCount(maxDurationS)}.`
            : null;
    setFormError(problem);
    if (problem || share === undefined || startIn === undefined || duration === undefined) {
      actions.clearResult('faults');
      return;
    }
    const fault: FaultRequest = {
      error: form.error,
      sharePercent: share,
      startInMs: startIn * 1000,
      durationMs: duration * 1000,
      ...(form.scope === 'stream' && streamName ? { streamName } : {}),
    };
    actions.setFaults([...list.map(requestOf), fault]);
  };
  return (
    <section className="panel" aria-labelledby="faults-heading">
      <h2 id="faults-heading">Fault injection</h2>
      <p className="muted">
        Fail a share of PutRecord and PutRecords calls — from these producers and from Kinesis clients alike —
        for a window of virtual time, as AWS Fault Injection Service does for Kinesis, to compare retry
        policies under failure. Calls fail whole: ProvisionedThroughputExceededException (HTTP 400, retried by
        the SDK as throttling) or InternalFailure (HTTP 500, retried as transient). Seeded: the same seed
        fails the same calls.
      </p>
      <form onSubmit={submit} className="form-grid" aria-label="Inject a fault" noValidate>
        <LabelledSelect label="Error" value={form.error} onChange={set('error')}>
          <option value="ProvisionedThroughputExceededException">
            ProvisionedThroughputExceededException
          </option>
          <option value="InternalFailure">InternalFailure (HTTP 500)</option>
        </LabelledSelect>
        <label>
          Share of calls (%)
          <input type="number" min={0} max={100} required value={form.share} onChange={set('share')} />
        </label>
        <label>
          Starts in (virtual s, 0 = now)
          <input
            type="number"
            min={0}
            max={limits ? limits.maxStartMs / 1000 : undefined}
            required
            value={form.startIn}
            onChange={set('startIn')}
          />
        </label>
        <label>
          Lasts (virtual s)
          <input
            type="number"
            min={0}
            max={limits ? limits.maxDurationMs / 1000 : undefined}
            required
            value={form.duration}
            onChange={set('duration')}
          />
        </label>
        <LabelledSelect label="Calls to" value={form.scope} onChange={set('scope')}>
          <option value="stream">{streamName ? `stream ${streamName}` : 'the stream on screen'}</option>
          <option value="all">every stream</option>
        </LabelledSelect>
        <button type="submit" className="primary" disabled={list.length >= max && max > 0}>
          Inject fault
        </button>
        <button type="button" onClick={() => actions.setFaults([])} disabled={list.length === 0}>
          Clear faults
        </button>
      </form>
      <FormError message={formError} />
      <ResultMessage
        result={result}
        success={(o) =>
          Number(o.faults) === 0
            ? 'Faults cleared: calls go through as Kinesis answers them.'
            : `${formatCount(Number(o.faults))} ${Number(o.faults) === 1 ? 'fault' : 'faults'} set.`
        }
      />
      {list.length === 0 ? (
        <p className="muted">No faults set.</p>
      ) : (
        <ScrollRegion label="Faults table">
          <table aria-label="Injected faults">
            <thead>
              <tr>
                <th scope="col">Error</th>
                <th scope="col">Share</th>
                <th scope="col">Window (virtual)</th>
                <th scope="col">Calls to</th>
                <th scope="col">State</th>
                <th scope="col">Calls failed</th>
                <th scope="col">Records in them</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.map((f, i) => (
                <tr
                  key={`${f.spec.startMs}|${f.spec.durationMs}|${f.spec.error}|${f.spec.sharePercent}|${f.spec.streamName ?? ''}`}
                >
                  <th scope="row">{withWordBreaks(f.spec.error)}</th>
                  <td>{f.spec.sharePercent} %</td>
                  <td>
                    {formatVirtualTime(f.spec.startMs)} for {formatSpan(f.spec.durationMs)}
                  </td>
                  <td>{f.spec.streamName ?? 'every stream'}</td>
                  <td>{phase(f, nowMs)}</td>
                  <td>{formatCount(f.failedCalls)}</td>
                  <td>{formatCount(f.failedRecords)}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Remove fault ${i + 1} (${f.spec.error})`}
                      onClick={() => actions.setFaults(list.filter((_, j) => j !== i).map(requestOf))}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

/**
 * An error type with a line-break opportunity (<wbr>) before each capital, so a long one
 * (ProvisionedThroughputExceededException) wraps in a narrow cell; its text is unchanged.
 */
function withWordBreaks(name: string): ReactNode {
  const parts = name.split(/(?=[A-Z])/);
  return parts.map((part, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed name, in order
    <Fragment key={i}>
      {i > 0 ? <wbr /> : null}
      {part}
    </Fragment>
  ));
}

import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSim, useSimStore } from '../state/SimStoreProvider';
import { selectActions, selectPending, selectResult } from '../state/selectors';
import type { ManualRecord } from '../worker/protocol';
import { ResultMessage } from './ResultMessage';
import { markReason, useKeyMark, useKeyMarkerStore } from './skew/keyMarker';

/**
 * Put one record by hand and see Kinesis's exact answer: ShardId and SequenceNumber, or the error. After a
 * success the key is inspected (by the worker) and marked on the keyspace bar, with why it landed there.
 */
export function PutRecordForm() {
  const actions = useSim(selectActions);
  const store = useSimStore();
  const result = useSim(selectResult('putRecord'));
  const pending = useSim(selectPending('putRecord'));
  const mark = useKeyMark();
  const ask = useKeyMarkerStore((s) => s.ask);
  const [partitionKey, setPartitionKey] = useState('user-1');
  const [explicitHashKey, setExplicitHashKey] = useState('');
  const [data, setData] = useState('hello, kinesis');
  // What was sent, and the answer shown then: the next answer is to it.
  const sent = useRef<{ record: ManualRecord; before: unknown } | null>(null);

  useEffect(() => {
    const asked = sent.current;
    if (!asked || result === asked.before || !result) return;
    sent.current = null;
    if (!result.ok) return;
    const state = store.getState();
    const { record } = asked;
    ask({
      source: 'putRecord',
      partitionKey: record.partitionKey,
      explicitHashKey: record.explicitHashKey,
      putShardId: String(result.output.ShardId),
      generation: state.viewGeneration,
      before: state.results.inspectKey,
    });
    actions.inspectKey(record.partitionKey, record.explicitHashKey);
  }, [result, actions, ask, store]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const record: ManualRecord = {
      partitionKey,
      data,
      ...(explicitHashKey === '' ? {} : { explicitHashKey }),
    };
    sent.current = { record, before: result };
    actions.putRecord(record);
  };
  const why = mark?.source === 'putRecord' && result?.ok ? mark : null;
  return (
    <section className="panel" aria-labelledby="put-heading">
      <h2 id="put-heading">Put one record</h2>
      <form onSubmit={submit} className="form-grid" aria-label="Put one record">
        <label>
          PartitionKey
          <input value={partitionKey} onChange={(e) => setPartitionKey(e.target.value)} spellCheck={false} />
        </label>
        <label>
          ExplicitHashKey (optional)
          <input
            value={explicitHashKey}
            onChange={(e) => setExplicitHashKey(e.target.value)}
            spellCheck={false}
            inputMode="numeric"
            placeholder="0 … 2^128−1"
          />
        </label>
        <label className="wide">
          Data
          <textarea value={data} onChange={(e) => setData(e.target.value)} rows={2} spellCheck={false} />
        </label>
        <button type="submit" className="primary" disabled={pending}>
          PutRecord
        </button>
      </form>
      <ResultMessage
        result={result}
        success={(o) => `ShardId ${String(o.ShardId)}, SequenceNumber ${String(o.SequenceNumber)}`}
      />
      {why ? (
        <p className="key-why" data-testid="put-record-why">
          Why {why.putShardId}: {markReason(why)}{' '}
          {why.putShardId !== why.shardId
            ? `The stream has been resharded since: the key now lands on ${why.shardId}. `
            : ''}
          Marked <span aria-hidden="true">◆</span> "{why.partitionKey}" on the Keyspace bar.
        </p>
      ) : null}
    </section>
  );
}

import { type FormEvent, useState } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectPending, selectResult } from '../state/selectors';
import { ResultMessage } from './ResultMessage';

/** Put one record by hand and see Kinesis's exact answer: ShardId and SequenceNumber, or the error. */
export function PutRecordForm() {
  const actions = useSim(selectActions);
  const result = useSim(selectResult('putRecord'));
  const pending = useSim(selectPending('putRecord'));
  const [partitionKey, setPartitionKey] = useState('user-1');
  const [explicitHashKey, setExplicitHashKey] = useState('');
  const [data, setData] = useState('hello, kinesis');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    actions.putRecord({ partitionKey, data, ...(explicitHashKey === '' ? {} : { explicitHashKey }) });
  };
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
    </section>
  );
}

import { type FormEvent, useState } from 'react';
import { useSim, useSimStore } from '../../state/SimStoreProvider';
import { selectActions, selectResult } from '../../state/selectors';
import { markReason, useKeyMark, useKeyMarkerStore } from './keyMarker';

/** Type a PartitionKey (or an ExplicitHashKey) and see every step that decides its shard. */
export function KeyInspector() {
  const actions = useSim(selectActions);
  const result = useSim(selectResult('inspectKey'));
  const [partitionKey, setPartitionKey] = useState('user-42');
  const [explicitHashKey, setExplicitHashKey] = useState('');
  const store = useSimStore();
  const ask = useKeyMarkerStore((s) => s.ask);
  const mark = useKeyMark();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const explicit = explicitHashKey.trim() || undefined;
    const state = store.getState();
    ask({
      source: 'inspector',
      partitionKey,
      explicitHashKey: explicit,
      putShardId: undefined,
      generation: state.viewGeneration,
      before: state.results.inspectKey,
    });
    actions.inspectKey(partitionKey, explicit);
  };
  const out = result?.ok ? result.output : undefined;
  return (
    <section className="panel" aria-labelledby="inspector-heading">
      <h2 id="inspector-heading">Key inspector</h2>
      <form onSubmit={submit} className="form-grid" aria-label="Inspect a key">
        <label>
          PartitionKey to inspect
          <input value={partitionKey} onChange={(e) => setPartitionKey(e.target.value)} spellCheck={false} />
        </label>
        <label>
          ExplicitHashKey to inspect (optional)
          <input
            value={explicitHashKey}
            onChange={(e) => setExplicitHashKey(e.target.value)}
            inputMode="numeric"
            spellCheck={false}
          />
        </label>
        <button type="submit" className="primary">
          Inspect
        </button>
      </form>
      {result && !result.ok ? (
        <p className="result error" role="alert">
          <strong>{result.errorType}</strong>: {result.message}
        </p>
      ) : null}
      {out && mark ? (
        <p className="key-why" data-testid="inspector-why">
          {mark.source === 'putRecord' ? `The key of your PutRecord, "${mark.partitionKey}": ` : ''}
          It lands on {mark.shardId} because {markReason(mark)} Marked <span aria-hidden="true">◆</span> "
          {mark.partitionKey}" on the Keyspace bar.
        </p>
      ) : null}
      {out ? (
        <dl className="inspection" aria-label="Key inspection">
          <dt>PartitionKey</dt>
          <dd className="mono">{String(out.partitionKey)}</dd>
          <dt>UTF-8 bytes ({String(out.utf8Length)})</dt>
          <dd className="mono">{String(out.utf8Hex) || '(none)'}</dd>
          {out.explicit ? (
            <>
              <dt>ExplicitHashKey</dt>
              <dd>Given, so Kinesis skips the MD5 of the PartitionKey and uses it as the hash key.</dd>
            </>
          ) : (
            <>
              <dt>MD5 digest</dt>
              <dd className="mono" data-testid="md5-hex">
                {String(out.md5Hex)}
              </dd>
            </>
          )}
          <dt>128-bit hash key</dt>
          <dd className="mono" data-testid="hash-key">
            {String(out.hashKey)}
          </dd>
          <dt>Position in the keyspace</dt>
          <dd>
            <span className="position-bar" aria-hidden="true">
              <span style={{ left: `${Number(out.fraction) * 100}%` }} />
            </span>
            {(Number(out.fraction) * 100).toFixed(4)}% of the way from 0 to 2^128−1
          </dd>
          <dt>ShardId</dt>
          <dd data-testid="inspected-shard">
            <strong>{String(out.shardId)}</strong>, whose range {String(out.startingHashKey)} …{' '}
            {String(out.endingHashKey)} holds it
          </dd>
        </dl>
      ) : null}
      <p className="muted">
        Why not "hash mod shard count"? Kinesis gives each shard a contiguous range of the 128-bit hash space,
        so a split or merge moves only the keys of the ranges it touches, instead of reshuffling every key as
        mod N would.
      </p>
    </section>
  );
}

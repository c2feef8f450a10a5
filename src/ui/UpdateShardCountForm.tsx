import { type FormEvent, useState } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectResult } from '../state/selectors';
import type { SimState } from '../state/store';
import { FormError, ResultMessage } from './ResultMessage';

const selectOpenShards = (s: SimState) =>
  s.snapshot?.stream?.shards.reduce((n, shard) => n + (shard.isOpen ? 1 : 0), 0) ?? null;
const selectOnDemand = (s: SimState) => s.snapshot?.stream?.mode === 'ON_DEMAND';

/**
 * UpdateShardCount (UNIFORM_SCALING) on the running stream: a TargetShardCount and Kinesis's answer. The
 * engine decides what is allowed (half to double the open shards, 10 calls per rolling 24 hours); this form
 * only checks that a whole number was typed.
 */
export function UpdateShardCountForm() {
  const actions = useSim(selectActions);
  const result = useSim(selectResult('updateShardCount'));
  const openShards = useSim(selectOpenShards);
  const onDemand = useSim(selectOnDemand);
  const [target, setTarget] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = target.trim();
    if (value === '' || !Number.isSafeInteger(Number(value))) {
      setFormError('Type a TargetShardCount: a whole number of open shards.');
      actions.clearResult('updateShardCount');
      return;
    }
    setFormError(null);
    actions.updateShardCount(Number(value));
  };
  return (
    <>
      <form
        onSubmit={submit}
        className="inline-form"
        aria-label="Update shard count"
        aria-describedby="update-shard-count-help"
        noValidate
      >
        <label>
          TargetShardCount
          <input
            type="number"
            inputMode="numeric"
            min={1}
            value={target}
            placeholder={openShards === null ? undefined : String(openShards)}
            onChange={(e) => setTarget(e.target.value)}
          />
        </label>
        <button type="submit">UpdateShardCount</button>
      </form>
      <p className="muted" id="update-shard-count-help">
        {onDemand ? (
          <strong data-testid="on-demand-resharding">
            This stream is ON_DEMAND: Kinesis manages its shards, and refuses UpdateShardCount, SplitShard and
            MergeShards (ValidationException) until it is PROVISIONED again.
          </strong>
        ) : (
          'UNIFORM_SCALING to equal hash ranges on all-new shards: from half to double the open shards, at most 10 calls in a rolling 24 hours.'
        )}
      </p>
      <FormError message={formError} />
      <ResultMessage
        result={result}
        success={(output) =>
          `UpdateShardCount accepted: CurrentShardCount ${String(output.CurrentShardCount)}, TargetShardCount ${String(output.TargetShardCount)}. The stream is UPDATING; when it settles every open shard is closed and replaced.`
        }
      />
    </>
  );
}

import { type FormEvent, Fragment, useEffect, useId, useMemo, useState } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectResult } from '../state/selectors';
import type { SimState } from '../state/store';
import type { ShardInfo } from '../worker/engineTypes';
import { AGGREGATE_SHARD_COUNTS, AggregateNote } from './AggregateNote';
import { formatBytes, formatCount } from './format';
import { ReshardStatus } from './ReshardStatus';
import { ResultMessage } from './ResultMessage';
import { midpointHashKey, nextOpenShards } from './reshard';
import { ScrollRegion } from './ScrollRegion';
import { useViewStream } from './useViewStream';

/** Columns of the table (ShardId, six counts and keys, Resharding): the split form spans them all. */
const COLUMNS = 9;

const selectViewGeneration = (s: SimState) => s.viewGeneration;

/** What a person last asked the engine from this table, to say what its answer is about. */
type Asked =
  | { operation: 'SplitShard'; shardId: string; newStartingHashKey: string }
  | { operation: 'MergeShards'; shardId: string; adjacentShardId: string };

/**
 * Every shard with its hash key range and its record counts: the numbers behind the charts. "Throttling
 * now" comes from the engine's diagnosis window (the same one the Diagnosis panel explains); the throttled
 * total since creation has its own column, so an old burst no longer marks a shard that is fine now.
 * Closed shards (still holding records within retention) are marked "closed"; expired ones are not in the
 * snapshot. Each open shard can be split (at its midpoint, or a NewStartingHashKey typed in) or merged with
 * the open shard whose range starts where its own ends; Kinesis's answer shows inline.
 */
export function ShardTable() {
  const stream = useViewStream();
  const actions = useSim(selectActions);
  const result = useSim(selectResult('reshard'));
  const [asked, setAsked] = useState<Asked | null>(null);
  const generation = useSim(selectViewGeneration);
  const [splitting, setSplitting] = useState<{ shardId: string; key: string; generation: number } | null>(
    null,
  );
  const formId = useId();
  const throttlingNow = useMemo(
    () => new Set((stream?.diagnosis ?? []).map((d) => d.shardId)),
    [stream?.diagnosis],
  );
  const next = useMemo(() => nextOpenShards(stream?.shards ?? []), [stream?.shards]);
  // Once its split is accepted the form has done its job; after a refusal it stays, to fix the key.
  useEffect(() => {
    if (result?.ok && result.operation === 'SplitShard') setSplitting(null);
  }, [result]);
  if (!stream) return <p>No stream yet.</p>;

  const toggleSplit = (shard: ShardInfo) => {
    if (splitting?.shardId === shard.shardId) {
      setSplitting(null);
      return;
    }
    actions.clearResult('reshard');
    setSplitting({
      shardId: shard.shardId,
      key: midpointHashKey(shard.startingHashKey, shard.endingHashKey),
      generation,
    });
  };
  const split = (e: FormEvent) => {
    e.preventDefault();
    if (!splitting) return;
    const key = splitting.key.trim();
    setAsked({ operation: 'SplitShard', shardId: splitting.shardId, newStartingHashKey: key });
    actions.splitShard(splitting.shardId, key);
  };
  const merge = (shardId: string, adjacentShardId: string) => {
    setSplitting(null);
    setAsked({ operation: 'MergeShards', shardId, adjacentShardId });
    actions.mergeShards(shardId, adjacentShardId);
  };
  // A form opened for a stream that has since been replaced is not shown.
  const splitOpen = splitting !== null && splitting.generation === generation;
  const answer = (
    <ResultMessage
      result={result}
      success={() =>
        asked?.operation === 'SplitShard'
          ? `SplitShard accepted: ${asked.shardId} splits at NewStartingHashKey ${asked.newStartingHashKey} when the stream's UPDATING period ends; its two children then take its writes.`
          : asked?.operation === 'MergeShards'
            ? `MergeShards accepted: ${asked.shardId} and ${asked.adjacentShardId} merge when the stream's UPDATING period ends; one child then takes both ranges.`
            : 'Accepted.'
      }
    />
  );
  const openCount = stream.shards.reduce((n, s) => n + (s.isOpen ? 1 : 0), 0);
  return (
    <>
      <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
      <ReshardStatus />
      {splitOpen ? null : answer}
      <ScrollRegion label="Shard table">
        <table className="shard-table">
          <caption>
            Shards of {stream.streamName}: {formatCount(openCount)} open
            {stream.shards.length > openCount
              ? `, ${formatCount(stream.shards.length - openCount)} closed (readable until their records pass retention)`
              : ''}
            . "Throttling now" = throttled in the last {stream.windowSeconds} virtual seconds (see Diagnosis);
            the counts are totals since the shard was created. Throttled = records refused with
            ProvisionedThroughputExceededException. Each shard holds the hash keys from StartingHashKey to
            EndingHashKey.
          </caption>
          <thead>
            <tr>
              <th scope="col">ShardId</th>
              <th scope="col">Accepted</th>
              <th scope="col">Throttled (total)</th>
              <th scope="col">Retained</th>
              <th scope="col">Retained bytes</th>
              <th scope="col">Expired</th>
              <th scope="col">StartingHashKey</th>
              <th scope="col">EndingHashKey</th>
              <th scope="col">Resharding</th>
            </tr>
          </thead>
          <tbody>
            {stream.shards.map((shard) => {
              const i = shard.position;
              const now = throttlingNow.has(shard.shardId);
              const adjacent = next.get(shard.shardId);
              const open = splitOpen && splitting?.shardId === shard.shardId;
              const rowClass = [now ? 'is-throttled' : '', shard.isOpen ? '' : 'is-closed'].join(' ').trim();
              return (
                <Fragment key={shard.shardId}>
                  <tr className={rowClass || undefined}>
                    <th scope="row">
                      {shard.shardId}
                      {now ? <span className="badge">Throttling now</span> : null}
                      {shard.isOpen ? null : <span className="badge closed">closed</span>}
                    </th>
                    <td>{formatCount(stream.accepted[i] ?? 0)}</td>
                    <td>{formatCount(stream.throttled[i] ?? 0)}</td>
                    <td>{formatCount(stream.retainedRecords[i] ?? 0)}</td>
                    <td>{formatBytes(stream.retainedBytes[i] ?? 0)}</td>
                    <td>{formatCount(stream.expired[i] ?? 0)}</td>
                    <td className="hash">{shard.startingHashKey}</td>
                    <td className="hash">{shard.endingHashKey}</td>
                    <td className="reshard-actions">
                      {shard.isOpen ? (
                        <>
                          <button
                            type="button"
                            className="small"
                            aria-label={`Split ${shard.shardId}`}
                            aria-expanded={open}
                            aria-controls={open ? `${formId}-split` : undefined}
                            onClick={() => toggleSplit(shard)}
                          >
                            Split
                          </button>
                          {adjacent ? (
                            <button
                              type="button"
                              className="small"
                              aria-label={`Merge with next: ${shard.shardId} and ${adjacent}`}
                              title={`MergeShards: ShardToMerge ${shard.shardId}, AdjacentShardToMerge ${adjacent}`}
                              onClick={() => merge(shard.shardId, adjacent)}
                            >
                              Merge with next
                            </button>
                          ) : null}
                        </>
                      ) : (
                        <span className="muted">closed</span>
                      )}
                    </td>
                  </tr>
                  {open && splitting ? (
                    <tr className="split-row">
                      <td colSpan={COLUMNS}>
                        <form
                          id={`${formId}-split`}
                          className="inline-form split-form"
                          aria-label={`Split ${shard.shardId}`}
                          onSubmit={split}
                          noValidate
                        >
                          <label>
                            NewStartingHashKey
                            <input
                              className="hash-input"
                              value={splitting.key}
                              inputMode="numeric"
                              spellCheck={false}
                              aria-describedby={`${formId}-split-help`}
                              onChange={(e) => setSplitting({ ...splitting, key: e.target.value })}
                            />
                          </label>
                          <button type="submit" className="primary">
                            SplitShard
                          </button>
                          <button type="button" onClick={() => setSplitting(null)}>
                            Cancel
                          </button>
                          <p id={`${formId}-split-help`} className="muted">
                            Splits {shard.shardId} into [{shard.startingHashKey}, NewStartingHashKey − 1] and
                            [NewStartingHashKey, {shard.endingHashKey}]. Prefilled with the middle of its
                            range.
                          </p>
                        </form>
                        {answer}
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

import { type FormEvent, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
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

const selectViewGeneration = (s: SimState) => s.viewGeneration;

/** Columns of the table: ShardId, five counts, the two hash keys and Resharding. */
const COLUMNS = 9;
/** Above this many shards only the rows in sight (and OVERSCAN_ROWS either side) are rendered. */
export const VIRTUAL_ROWS_ABOVE = 200;
const OVERSCAN_ROWS = 20;
/** A row's height before one is measured (px). */
const ROW_PX_GUESS = 33;

/**
 * The shard list changes only when shards are added (children) or leave (expired), and shards close only
 * when children are added: its length and its first and last ShardIds tell one list from another.
 */
const shardListKey = (shards: readonly ShardInfo[]) =>
  `${shards.length}|${shards[0]?.shardId}|${shards[shards.length - 1]?.shardId}`;

/** What a person last asked the engine from this table, to say what its answer is about. */
type Asked =
  | { operation: 'SplitShard'; shardId: string; newStartingHashKey: string }
  | { operation: 'MergeShards'; shardId: string; adjacentShardId: string };

/**
 * Every shard with its hash key range and its record counts: the numbers behind the charts. "Throttling
 * now" comes from the engine's diagnosis window (the same one the Diagnosis panel explains); the throttled
 * total since creation has its own column, so an old burst no longer marks a shard that is fine now.
 * Closed shards (listed for the retention period after they closed) are marked "closed"; expired ones are
 * not in the snapshot. Each open shard can be split (at its midpoint, or a NewStartingHashKey typed in) or merged with
 * the open shard whose range starts where its own ends; Kinesis's answer shows inline.
 */
export function ShardTable() {
  const stream = useViewStream();
  const actions = useSim(selectActions);
  const result = useSim(selectResult('reshard'));
  const [asked, setAsked] = useState<Asked | null>(null);
  const generation = useSim(selectViewGeneration);
  const focusedFor = useRef<string | null>(null);
  const [splitting, setSplitting] = useState<{ shardId: string; key: string; generation: number } | null>(
    null,
  );
  const formId = useId();
  const throttlingNow = useMemo(
    () => new Set((stream?.diagnosis ?? []).map((d) => d.shardId)),
    [stream?.diagnosis],
  );
  // Each view refresh brings a fresh copy of the shard list: the adjacency is worked out once per list.
  const nextCache = useRef<{ key: string; next: Map<string, string> }>({ key: '', next: new Map() });
  const listKey = shardListKey(stream?.shards ?? []);
  if (nextCache.current.key !== listKey)
    nextCache.current = { key: listKey, next: nextOpenShards(stream?.shards ?? []) };
  const next = nextCache.current.next;
  // Virtual rows: which part of the table is in sight, and how tall a row and the header are.
  const [scroll, setScroll] = useState({ top: 0, height: 380 });
  const [metrics, setMetrics] = useState({ rowPx: ROW_PX_GUESS, headPx: 0 });
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const shardCount = stream?.shards.length ?? 0;
  const virtual = shardCount > VIRTUAL_ROWS_ABOVE;
  // Rows are measured when the table first renders virtually and on each scroll, never on a data refresh:
  // reading the layout then would force the whole page's layout on every refresh.
  const measured = useRef(false);
  const measure = () => {
    const body = bodyRef.current;
    const rows = body?.querySelectorAll('tr[aria-rowindex]');
    const first = rows?.[0]?.getBoundingClientRect();
    const last = rows?.[rows.length - 1]?.getBoundingClientRect();
    if (!body || !rows || !first || !last || rows.length < 2) return;
    const rowPx = (last.bottom - first.top) / rows.length;
    // Not laid out (hidden, or no layout engine): keep the estimate.
    if (!(rowPx >= 1)) return;
    const headPx = body.offsetTop;
    measured.current = true;
    setMetrics((m) =>
      Math.abs(rowPx - m.rowPx) > 0.5 || Math.abs(headPx - m.headPx) > 0.5 ? { rowPx, headPx } : m,
    );
  };
  useLayoutEffect(() => {
    if (virtual && !measured.current) measure();
    if (!virtual) measured.current = false;
  });
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
    focusedFor.current = null;
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
  const splitShardInfo = splitOpen ? stream.shards.find((s) => s.shardId === splitting?.shardId) : undefined;
  const firstRow = virtual
    ? Math.max(
        0,
        Math.min(shardCount - 1, Math.floor((scroll.top - metrics.headPx) / metrics.rowPx) - OVERSCAN_ROWS),
      )
    : 0;
  const shown = virtual
    ? stream.shards.slice(firstRow, firstRow + Math.ceil(scroll.height / metrics.rowPx) + 2 * OVERSCAN_ROWS)
    : stream.shards;
  const openCount = stream.shards.reduce((n, s) => n + (s.isOpen ? 1 : 0), 0);
  return (
    <>
      <AggregateNote what={AGGREGATE_SHARD_COUNTS} />
      <ReshardStatus />
      {splitting && splitShardInfo ? (
        <form
          id={`${formId}-split`}
          className="inline-form split-form"
          aria-label={`Split ${splitShardInfo.shardId}`}
          onSubmit={split}
          noValidate
        >
          <label>
            NewStartingHashKey for {splitShardInfo.shardId}
            <input
              ref={(input) => {
                // Opening the form takes the keyboard to its field (once per shard opened).
                if (input && focusedFor.current !== splitShardInfo.shardId) {
                  focusedFor.current = splitShardInfo.shardId;
                  input.focus();
                }
              }}
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
            Splits {splitShardInfo.shardId} into [{splitShardInfo.startingHashKey}, NewStartingHashKey − 1]
            and [NewStartingHashKey, {splitShardInfo.endingHashKey}] (Kinesis requires StartingHashKey + 2 ≤
            NewStartingHashKey ≤ EndingHashKey − 1). Prefilled with the middle of its range.
          </p>
        </form>
      ) : null}
      {answer}
      <ScrollRegion
        label="Shard table"
        onScroll={
          virtual
            ? (e) => {
                setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight });
                measure();
              }
            : undefined
        }
      >
        <table className="shard-table" aria-rowcount={virtual ? shardCount + 1 : undefined}>
          <caption>
            Shards of {stream.streamName}: {formatCount(openCount)} open
            {stream.shards.length > openCount
              ? `, ${formatCount(stream.shards.length - openCount)} closed (listed and readable for the retention period after they closed)`
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
          <tbody ref={bodyRef}>
            {virtual && firstRow > 0 ? (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer row standing for rows not rendered; nothing in it is focusable.
              <tr aria-hidden="true" className="spacer">
                <td colSpan={COLUMNS} style={{ height: firstRow * metrics.rowPx }} />
              </tr>
            ) : null}
            {shown.map((shard, k) => {
              const i = shard.position;
              const now = throttlingNow.has(shard.shardId);
              const adjacent = next.get(shard.shardId);
              const open = splitOpen && splitting?.shardId === shard.shardId;
              const rowClass = [now ? 'is-throttled' : '', shard.isOpen ? '' : 'is-closed'].join(' ').trim();
              return (
                <tr
                  key={shard.shardId}
                  className={rowClass || undefined}
                  aria-rowindex={virtual ? firstRow + k + 2 : undefined}
                >
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
              );
            })}
            {virtual && firstRow + shown.length < shardCount ? (
              // biome-ignore lint/a11y/noAriaHiddenOnFocusable: an empty spacer row standing for rows not rendered; nothing in it is focusable.
              <tr aria-hidden="true" className="spacer">
                <td
                  colSpan={COLUMNS}
                  style={{ height: (shardCount - firstRow - shown.length) * metrics.rowPx }}
                />
              </tr>
            ) : null}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

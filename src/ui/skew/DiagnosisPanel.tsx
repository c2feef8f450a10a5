import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimStoreProvider';
import { selectActions, selectResult } from '../../state/selectors';
import type { SimState } from '../../state/store';
import type { ShardDiagnosis } from '../../worker/engineTypes';
import { AggregateNote } from '../AggregateNote';
import { formatByteLimit, formatBytes, formatCount, formatVirtualSecond } from '../format';
import { ReshardStatus } from '../ReshardStatus';
import { ResultMessage } from '../ResultMessage';

/** What a row shows, rounded: a row re-renders only when one of these changes, not on every snapshot. */
interface Row {
  shardId: string;
  verdict: ShardDiagnosis['verdict'];
  limit: ShardDiagnosis['limit'];
  demand: number;
  demandBytes: number;
  throttled: number;
  second: number | null;
  limitRecords: number;
  limitBytes: number;
  topKey: {
    partitionKey: string;
    explicit: boolean;
    average: number;
    peak: number;
    peakBytes: number;
    averageBytes: number;
  } | null;
  split: string | null;
  explanation: string;
}

function rowOf(d: ShardDiagnosis): Row {
  const k = d.topKey;
  return {
    shardId: d.shardId,
    verdict: d.verdict,
    limit: d.limit,
    demand: Math.round(d.demandPerSecond),
    demandBytes: Math.round(d.demandBytesPerSecond),
    throttled: Math.round(d.throttledPerSecond),
    second: d.second ?? null,
    limitRecords: d.limitPerSecond,
    limitBytes: d.limitBytesPerSecond,
    topKey: k
      ? {
          partitionKey: k.partitionKey,
          explicit: k.explicit === true,
          average: Math.round(k.recordsPerSecond),
          peak: Math.round(k.peakRecordsPerSecond ?? k.recordsPerSecond),
          peakBytes: Math.round(k.peakBytesPerSecond ?? 0),
          averageBytes: Math.round(k.bytesPerSecond ?? 0),
        }
      : null,
    split: d.suggestedNewStartingHashKey ?? null,
    explanation: d.explanation,
  };
}

const selectRows = (s: SimState) =>
  (s.snapshot?.stream?.diagnosis ?? []).map((d) => JSON.stringify(rowOf(d)));
const selectStreamName = (s: SimState) => s.snapshot?.stream?.streamName ?? '';
const selectWindowSeconds = (s: SimState) => s.snapshot?.stream?.windowSeconds ?? null;

const perSecondBytes = (bytes: number) => `${formatBytes(bytes)}/s`;

/**
 * For each shard that throttled in the engine's diagnosis window: hot key or hot shard, which limit is
 * exceeded (records/s or bytes/s), the numbers of the virtual second behind the verdict, the busiest key,
 * and what would help (for a hot shard, a Split here button and the AWS CLI line that split it there).
 * Kinesis's answer to Split here shows above the list: the diagnosis it came from may be gone by then.
 */
export function DiagnosisPanel() {
  const rows = useSim(useShallow(selectRows));
  const streamName = useSim(selectStreamName);
  const windowSeconds = useSim(selectWindowSeconds);
  const actions = useSim(selectActions);
  const result = useSim(selectResult('splitHere'));
  const [asked, setAsked] = useState<{ shardId: string; key: string } | null>(null);
  const windowText = windowSeconds === null ? 'few' : formatCount(windowSeconds);
  const splitHere = (shardId: string, key: string) => {
    setAsked({ shardId, key });
    actions.splitShard(shardId, key, 'splitHere');
  };
  return (
    <section className="panel" aria-labelledby="diagnosis-heading">
      <h2 id="diagnosis-heading">Diagnosis</h2>
      <ReshardStatus />
      <ResultMessage
        result={result}
        success={() =>
          asked
            ? `SplitShard accepted: ${asked.shardId} splits at NewStartingHashKey ${asked.key} when the stream's UPDATING period ends; its two children then share its load.`
            : 'SplitShard accepted.'
        }
      />
      {rows.length === 0 ? (
        <p className="muted">
          No open shard is throttling in the last {windowText} virtual seconds (closed shards take no writes).
        </p>
      ) : (
        <>
          <p className="muted">
            Shards that throttled in the last {windowText} virtual seconds, each at its busiest second.
          </p>
          <AggregateNote what="these per-second numbers come from per-shard counts drawn from the key distribution, and the busiest key's from the expected shares of the keys heavier than average (of many equal keys, none is counted)." />
          <ul className="diagnosis" aria-label="Throttled shards diagnosed">
            {rows.map((json) => {
              const row = JSON.parse(json) as Row;
              return (
                <DiagnosisItem key={row.shardId} row={row} streamName={streamName} onSplit={splitHere} />
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function DiagnosisItem({
  row,
  streamName,
  onSplit,
}: {
  row: Row;
  streamName: string;
  onSplit: (shardId: string, newStartingHashKey: string) => void;
}) {
  const byBytes = row.limit === 'bytes';
  const limitText = byBytes
    ? `over the ${formatByteLimit(row.limitBytes)}/s limit (bytes: ${perSecondBytes(row.demandBytes)} asked)`
    : `over the ${formatCount(row.limitRecords)} records/s limit`;
  const key = row.topKey;
  return (
    <li>
      <p>
        <strong>{row.shardId}</strong>:{' '}
        <span className={`verdict ${row.verdict}`}>
          {row.verdict === 'hot-key' ? 'Hot key' : 'Hot shard'}
        </span>{' '}
        — {limitText}.
      </p>
      <p>
        {row.second === null
          ? 'In its busiest second'
          : `In the virtual second ${formatVirtualSecond(row.second)}`}
        : {formatCount(row.demand)} records ({formatBytes(row.demandBytes)}) asked,{' '}
        {formatCount(row.throttled)} throttled. A shard takes {formatCount(row.limitRecords)} records/s and{' '}
        {formatByteLimit(row.limitBytes)}
        /s.
      </p>
      {key ? (
        <p>
          Busiest key: <span className="key">"{key.partitionKey}"</span>
          {key.explicit ? ' (ExplicitHashKey)' : ''} — {formatCount(key.peak)} records (
          {formatBytes(key.peakBytes)}) in its busiest second; on average {formatCount(key.average)}{' '}
          records/s, {perSecondBytes(key.averageBytes)}.
        </p>
      ) : null}
      <p>{row.explanation}</p>
      {row.split ? (
        <div className="split-here">
          <button
            type="button"
            className="primary"
            aria-label={`Split here: ${row.shardId} at NewStartingHashKey ${row.split}`}
            onClick={() => onSplit(row.shardId, row.split as string)}
          >
            Split here
          </button>
          <p>
            <code>
              aws kinesis split-shard --stream-name {streamName} --shard-to-split {row.shardId}{' '}
              --new-starting-hash-key {row.split}
            </code>
          </p>
        </div>
      ) : null}
    </li>
  );
}

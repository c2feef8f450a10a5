import { type KeyboardEvent, type PointerEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useSim } from '../../state/SimStoreProvider';
import { selectActions, selectResult } from '../../state/selectors';
import type { StreamSnapshot } from '../../worker/engineTypes';
import { ResultMessage } from '../ResultMessage';

type Shard = StreamSnapshot['shards'][number];

/** 2^53: the pointer's fraction is taken with 53 bits and scaled with BigInt. */
const FRACTION_BITS = 2 ** 53;
/** Keyboard steps of the marker, as fractions of the shard's range (Shift: the coarse one). */
export const FINE_STEP = 1 / 256;
export const COARSE_STEP = 1 / 16;

/**
 * The NewStartingHashKey at fraction `f` of a shard's range: Start + ⌊(End − Start + 1) × f⌋, clamped to
 * Start + 2 … End − 1 (the keys SplitShard can take). Layout arithmetic on the snapshot's decimal keys, in
 * BigInt: f is taken with 53 bits, never multiplied into the key as a float.
 */
export function splitKeyAt(startingHashKey: string, endingHashKey: string, f: number): string {
  const start = BigInt(startingHashKey);
  const end = BigInt(endingHashKey);
  const bits = BigInt(Math.floor(Math.min(1, Math.max(0, f)) * FRACTION_BITS));
  let key = start + ((end - start + 1n) * bits) / BigInt(FRACTION_BITS);
  if (key < start + 2n) key = start + 2n;
  if (key > end - 1n) key = end - 1n;
  return key.toString();
}

/** A split being placed (dragging or by keys), or waiting for its confirmation. */
interface Placing {
  shardId: string;
  /** The marker's fraction of the shard's range. */
  f: number;
  phase: 'placing' | 'confirm';
  via: 'pointer' | 'keys';
}

/**
 * Drag-to-split on the keyspace bar and its keyboard equivalent. Pressing on an open shard's segment and
 * dragging places a marker with the exact NewStartingHashKey; releasing asks to confirm; Escape cancels.
 * With the keyboard: Enter or S on a focused segment, ←/→ (Shift: coarse), Enter, Enter again to split.
 * Closed shards are not on the bar; while the stream is UPDATING no split is offered (Kinesis reshards one
 * change at a time). The answer goes to the shard table's result slot and shows here too.
 */
export function useKeyspaceSplit(stream: StreamSnapshot | null | undefined) {
  const actions = useSim(selectActions);
  const result = useSim(selectResult('keyspaceSplit'));
  const [placing, setPlacingState] = useState<Placing | null>(null);
  // The pointer handlers read the latest placing at once: moves that arrive before React has re-rendered
  // after the press (a busy page) must still move the marker.
  // Only setPlacing writes it (never a render, which may run with an older state than the last event set).
  const placingRef = useRef<Placing | null>(null);
  const setPlacing = useCallback((next: Placing | null | ((p: Placing | null) => Placing | null)) => {
    placingRef.current = typeof next === 'function' ? next(placingRef.current) : next;
    setPlacingState(placingRef.current);
  }, []);
  const [asked, setAsked] = useState<{ shardId: string; key: string } | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  const shard = placing ? stream?.shards.find((s) => s.shardId === placing.shardId && s.isOpen) : undefined;
  const updating = stream !== null && stream !== undefined && stream.status !== 'ACTIVE';
  // The shard closed or the stream changed under the marker: nothing to split any more.
  useEffect(() => {
    if (placing && (!shard || updating)) setPlacing(null);
  }, [placing, shard, updating, setPlacing]);
  useEffect(() => {
    if (placing?.phase === 'confirm') confirmRef.current?.focus();
  }, [placing?.phase]);
  // Escape cancels a drag wherever the focus is.
  useEffect(() => {
    if (placing?.phase !== 'placing' || placing.via !== 'pointer') return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') setPlacing(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [placing?.phase, placing?.via, setPlacing]);

  const why = (target: Shard) =>
    `No split now: the stream is ${stream?.status}, and Kinesis takes one resharding at a time — ${target.shardId} can be split once the stream is ACTIVE again.`;
  const begin = (target: Shard, f: number, via: Placing['via']) => {
    if (updating) {
      setRefused(why(target));
      return false;
    }
    setRefused(null);
    setPlacing({ shardId: target.shardId, f, phase: 'placing', via });
    return true;
  };
  // Measured at every event, never kept from the press: focusing the segment, a scrollbar appearing or the
  // region scrolling moves the bar under a held pointer, and a stale rectangle put the marker at a key the
  // pointer was not on (seen as an e2e drag whose label never reached the pointer's key).
  const fractionAt = (e: PointerEvent<HTMLButtonElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    if (!(rect.width > 0)) return 0.5;
    return Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
  };

  const segmentProps = (target: Shard) => ({
    onPointerDown: (e: PointerEvent<HTMLButtonElement>) => {
      if (e.button !== 0) return;
      returnFocus.current = e.currentTarget;
      if (begin(target, fractionAt(e), 'pointer')) {
        e.currentTarget.setPointerCapture?.(e.pointerId);
        e.preventDefault();
        // Focus without scrolling: the pointer is on the bar, so it is in view already.
        e.currentTarget.focus({ preventScroll: true });
      }
    },
    onPointerMove: (e: PointerEvent<HTMLButtonElement>) => {
      const placing = placingRef.current;
      if (placing?.shardId !== target.shardId || placing.phase !== 'placing' || placing.via !== 'pointer')
        return;
      const f = fractionAt(e);
      setPlacing((p) => (p ? { ...p, f } : p));
    },
    onPointerUp: (e: PointerEvent<HTMLButtonElement>) => {
      const placing = placingRef.current;
      if (placing?.shardId !== target.shardId || placing.phase !== 'placing' || placing.via !== 'pointer')
        return;
      const f = fractionAt(e);
      setPlacing((p) => (p ? { ...p, f, phase: 'confirm' } : p));
    },
    onPointerCancel: () => setPlacing(null),
    onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => {
      returnFocus.current = e.currentTarget;
      const mine = placing?.shardId === target.shardId && placing.phase === 'placing';
      if (!mine) {
        if (e.key === 'Enter' || e.key === 's' || e.key === 'S') {
          e.preventDefault();
          begin(target, 0.5, 'keys');
        }
        return;
      }
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        const step = (e.shiftKey ? COARSE_STEP : FINE_STEP) * (e.key === 'ArrowLeft' ? -1 : 1);
        setPlacing((p) => (p ? { ...p, via: 'keys', f: Math.min(1, Math.max(0, p.f + step)) } : p));
      } else if (e.key === 'Enter') {
        e.preventDefault();
        setPlacing((p) => (p ? { ...p, phase: 'confirm' } : p));
      } else if (e.key === 'Escape') {
        e.preventDefault();
        setPlacing(null);
      }
    },
    'aria-describedby': 'keyspace-split-help',
  });

  const key = shard && placing ? splitKeyAt(shard.startingHashKey, shard.endingHashKey, placing.f) : null;
  const cancel = () => {
    setPlacing(null);
    returnFocus.current?.focus();
  };
  const confirm = () => {
    if (!shard || key === null) return;
    setAsked({ shardId: shard.shardId, key });
    setPlacing(null);
    actions.splitShard(shard.shardId, key, 'keyspaceSplit');
    returnFocus.current?.focus();
  };

  /** The marker, drawn over the bar at the key's position (the overlay is the bar's width). */
  const marker =
    shard && placing && key !== null ? (
      <div
        className="keyspace-split-marker"
        data-testid="keyspace-split-marker"
        aria-hidden="true"
        style={{
          left: `${(shard.startFraction + (shard.endFraction - shard.startFraction) * placing.f) * 100}%`,
        }}
      />
    ) : null;

  const panel = (
    <div className="keyspace-split">
      <p id="keyspace-split-help" className="keyspace-split-help">
        {updating
          ? `The stream is ${stream?.status}: no split is offered here until it is ACTIVE again (Kinesis takes one resharding at a time: a SplitShard or MergeShards sent meanwhile gets ResourceInUseException).`
          : 'Drag across an open shard to split it (closed shards are not on the bar), or focus one and press Enter or S, then ←/→ (Shift: coarser steps) and Enter; Escape cancels.'}
      </p>
      <p className="keyspace-split-label" aria-live="polite" data-testid="keyspace-split-label">
        {shard && placing && key !== null && placing.phase === 'placing'
          ? `Split ${shard.shardId} at NewStartingHashKey ${key}`
          : (refused ?? '')}
      </p>
      {shard && placing?.phase === 'confirm' && key !== null ? (
        <fieldset
          className="keyspace-split-confirm"
          aria-label="Confirm split"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              cancel();
            }
          }}
        >
          <span>
            Split {shard.shardId} at NewStartingHashKey <span className="hash">{key}</span>?
          </span>{' '}
          <button type="button" ref={confirmRef} onClick={confirm}>
            Split
          </button>{' '}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </fieldset>
      ) : null}
      {asked ? (
        <ResultMessage
          result={result}
          success={() =>
            `SplitShard accepted: ${asked.shardId} splits at NewStartingHashKey ${asked.key} when the stream's UPDATING period ends; its two children then take its writes.`
          }
        />
      ) : null}
    </div>
  );

  return { segmentProps, marker, panel, placingShardId: placing?.shardId ?? null, updating };
}

import { useRef, useState } from 'react';
import { useSim } from '../state/SimStoreProvider';
import {
  selectAchievedSpeed,
  selectActions,
  selectJump,
  selectNowMs,
  selectPlaying,
  selectSpeed,
  selectStream,
} from '../state/selectors';
import { type JumpProgress, SPEEDS, type Speed } from '../worker/protocol';
import { formatDuration, formatJump, formatSpeed, formatVirtualTime } from './format';
import { LabelledSelect } from './LabelledSelect';

const HOUR_MS = 3_600_000;
const selectCreatedMs = (s: Parameters<typeof selectStream>[0]) => selectStream(s)?.createdMs ?? null;
const selectRetentionHours = (s: Parameters<typeof selectStream>[0]) =>
  selectStream(s)?.retentionHours ?? null;

/** Below this share of the speed asked for, the time bar says the speed actually achieved. */
const BEHIND_SHARE = 0.9;
/**
 * The worker measures the speed achieved over its last 2 s of play: for that long after a change of speed
 * (or a start) the measure still mixes in the old speed, so it is not shown as a shortfall yet.
 */
const SPEED_SETTLE_MS = 2500;

/**
 * Play/pause, speed (and the speed achieved when the simulation cannot keep up), step and jumps with their
 * progress. Their keys (Space, ".") are the page's: see presenter/usePresenterKeys.ts.
 */
export function TimeBar() {
  const actions = useSim(selectActions);
  const nowMs = useSim(selectNowMs);
  const playing = useSim(selectPlaying);
  const speed = useSim(selectSpeed);
  const achieved = useSim(selectAchievedSpeed);
  const jump = useSim(selectJump);
  const createdMs = useSim(selectCreatedMs);
  const retentionHours = useSim(selectRetentionHours);
  const jumping = jump !== null;
  // When the speed asked for (or play) last changed, wall ms.
  const speedSettle = useRef({ speed, playing, sinceMs: Number.NEGATIVE_INFINITY });

  const elapsed = nowMs !== null && createdMs !== null ? nowMs - createdMs : 0;
  const retentionMs = (retentionHours ?? 0) * HOUR_MS;
  const settle = speedSettle.current;
  if (settle.speed !== speed || settle.playing !== playing)
    speedSettle.current = { speed, playing, sinceMs: performance.now() };
  const settled = performance.now() - speedSettle.current.sinceMs >= SPEED_SETTLE_MS;
  const behind = playing && settled && achieved !== null && achieved < BEHIND_SHARE * speed;
  const jumpTitle = (hours: number) =>
    `Simulate the next ${hours === 1 ? 'hour' : `${hours} hours`} with the running producers (in aggregate), then show where it got to; a long jump shows its progress and can be cancelled`;
  return (
    <section className="panel time-bar" aria-labelledby="time-heading">
      <h2 id="time-heading" className="visually-hidden">
        Time controls
      </h2>
      <div className="time-buttons">
        <button type="button" className="primary" onClick={actions.togglePlay} aria-keyshortcuts="Space">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <LabelledSelect
          className="inline-field"
          label="Speed"
          value={speed}
          onChange={(e) => actions.setSpeed(Number(e.target.value) as Speed)}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </LabelledSelect>
        {behind && achieved !== null ? (
          <span
            className="achieved-speed"
            data-testid="achieved-speed"
            title={`The simulation cannot keep up with ${formatSpeed(speed)} on this machine: over the last 2 seconds it simulated ${formatSpeed(achieved)} (virtual seconds per wall second). Every number shown is still what the simulation produced; time just passes more slowly than asked.`}
          >
            achieving {formatSpeed(achieved)}
            <span className="visually-hidden">
              {' '}
              — the simulation cannot keep up with {formatSpeed(speed)}; time passes more slowly than asked
            </span>
          </span>
        ) : null}
        <button
          type="button"
          onClick={() => actions.step(1000)}
          aria-keyshortcuts="."
          disabled={jumping}
          title="Simulate one virtual second with the running producers"
        >
          Step 1 s
        </button>
        <button type="button" onClick={() => actions.jump(HOUR_MS)} disabled={jumping} title={jumpTitle(1)}>
          +1 h
        </button>
        <button
          type="button"
          onClick={() => actions.jump(24 * HOUR_MS)}
          disabled={jumping}
          title={jumpTitle(24)}
        >
          +24 h
        </button>
      </div>
      {jump ? <JumpBar key={jump.fromMs} jump={jump} onCancel={actions.cancelJump} /> : null}
      <div className="clock">
        <span className="clock-label">Virtual time</span>
        <output aria-label="Virtual time" data-testid="virtual-time">
          {nowMs === null ? 'starting…' : formatVirtualTime(nowMs)}
        </output>
        <span className="clock-status">
          {jumping ? 'jumping' : playing ? `running at ${formatSpeed(speed)}` : 'paused'}
        </span>
      </div>
      <div className="timeline">
        <label htmlFor="timeline-meter">
          Stream age {formatDuration(elapsed)}
          {retentionHours === null ? '' : ` of a ${retentionHours} h retention window`}
        </label>
        <meter id="timeline-meter" min={0} max={retentionMs} value={Math.min(elapsed, retentionMs)} />
      </div>
    </section>
  );
}

/**
 * A jump in progress: how far it got, as a labelled progress bar, and a button to cancel it. Cancelling keeps
 * what was simulated; a jump stepping whole minutes first simulates its last few minutes second by second,
 * so it ends a moment later (the bar says so).
 */
function JumpBar({ jump, onCancel }: { jump: JumpProgress; onCancel: () => void }) {
  // Keyed by the jump's start: the length asked for is kept when a cancel moves the worker's target to a
  // few minutes ahead.
  const [lengthMs] = useState(() => jump.targetMs - jump.fromMs);
  const [cancelled, setCancelled] = useState(false);
  const span = Math.max(1, jump.targetMs - jump.fromMs);
  const percent = Math.min(100, Math.max(0, Math.floor(((jump.nowMs - jump.fromMs) / span) * 100)));
  const label = cancelled
    ? `Cancelling the ${formatJump(lengthMs)} jump (its last minutes are simulated second by second): ${percent} %`
    : `Jumping ${formatJump(lengthMs)}: ${percent} %`;
  return (
    <div className="jump-progress">
      <span id="jump-progress-label">{label}</span>
      <div
        className="jump-progress-bar"
        role="progressbar"
        aria-labelledby="jump-progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} %: at ${formatVirtualTime(jump.nowMs)}, going to ${formatVirtualTime(jump.targetMs)}`}
      >
        <div className="jump-progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <button
        type="button"
        onClick={() => {
          setCancelled(true);
          onCancel();
        }}
        disabled={cancelled}
      >
        Cancel jump
      </button>
    </div>
  );
}

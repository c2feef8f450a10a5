import { useEffect } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectNowMs, selectPlaying, selectSpeed, selectStream } from '../state/selectors';
import { SPEEDS, type Speed } from '../worker/protocol';
import { formatDuration, formatVirtualTime } from './format';

const HOUR_MS = 3_600_000;
const selectCreatedMs = (s: Parameters<typeof selectStream>[0]) => selectStream(s)?.createdMs ?? null;
const selectRetentionHours = (s: Parameters<typeof selectStream>[0]) => selectStream(s)?.retentionHours ?? 24;

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

/** Play/pause, speed, step and jumps; Space toggles play and "." steps (the keys presenter remotes send). */
export function TimeBar() {
  const actions = useSim(selectActions);
  const nowMs = useSim(selectNowMs);
  const playing = useSim(selectPlaying);
  const speed = useSim(selectSpeed);
  const createdMs = useSim(selectCreatedMs);
  const retentionHours = useSim(selectRetentionHours);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) {
        e.preventDefault();
        actions.togglePlay();
      } else if (e.key === '.') {
        e.preventDefault();
        actions.step(1000);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);

  const elapsed = nowMs !== null && createdMs !== null ? nowMs - createdMs : 0;
  const retentionMs = retentionHours * HOUR_MS;
  return (
    <section className="panel time-bar" aria-labelledby="time-heading">
      <h2 id="time-heading" className="visually-hidden">
        Time controls
      </h2>
      <div className="time-buttons">
        <button type="button" className="primary" onClick={actions.togglePlay} aria-keyshortcuts="Space">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <label className="inline-field">
          Speed
          <select value={speed} onChange={(e) => actions.setSpeed(Number(e.target.value) as Speed)}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => actions.step(1000)} aria-keyshortcuts=".">
          Step 1 s
        </button>
        <button type="button" onClick={() => actions.jump(HOUR_MS)}>
          +1 h
        </button>
        <button type="button" onClick={() => actions.jump(24 * HOUR_MS)}>
          +24 h
        </button>
      </div>
      <div className="clock">
        <span className="clock-label">Virtual time</span>
        <output aria-label="Virtual time" data-testid="virtual-time">
          {nowMs === null ? 'starting…' : formatVirtualTime(nowMs)}
        </output>
        <span className="clock-status">{playing ? `running at ${speed}×` : 'paused'}</span>
      </div>
      <div className="timeline">
        <label htmlFor="timeline-meter">
          Stream age {formatDuration(elapsed)} of a {retentionHours} h retention window
        </label>
        <meter id="timeline-meter" min={0} max={retentionMs} value={Math.min(elapsed, retentionMs)} />
      </div>
    </section>
  );
}

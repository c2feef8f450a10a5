import { useEffect } from 'react';
import { useSim } from '../state/SimStoreProvider';
import { selectActions, selectNowMs, selectPlaying, selectSpeed, selectStream } from '../state/selectors';
import { SPEEDS, type Speed } from '../worker/protocol';
import { formatDuration, formatVirtualTime } from './format';

const HOUR_MS = 3_600_000;
const selectCreatedMs = (s: Parameters<typeof selectStream>[0]) => selectStream(s)?.createdMs ?? null;
const selectRetentionHours = (s: Parameters<typeof selectStream>[0]) => selectStream(s)?.retentionHours ?? 24;

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset']);

/** Whether a key goes into text the person is typing (then Space and "." are theirs, not the clicker's). */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
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
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTextEntry(e.target)) return;
      // Space keeps its meaning on a focused button or list (keyboard users activate them with it); after a
      // mouse click nothing keeps focus (below), so a presenter's Space always reaches play/pause.
      const ownsSpace = e.target instanceof HTMLButtonElement || e.target instanceof HTMLSelectElement;
      if (e.key === ' ' && !ownsSpace) {
        e.preventDefault();
        actions.togglePlay();
      } else if (e.key === '.') {
        e.preventDefault();
        actions.step(1000);
      }
    };
    // A button or list used with the mouse gives focus back, so the next Space or "." from a presenter
    // remote drives time instead of pressing that button again. Keyboard use keeps focus where it is.
    let lastPointerMs = Number.NEGATIVE_INFINITY;
    const onPointerDown = () => {
      lastPointerMs = performance.now();
    };
    const onClick = (e: MouseEvent) => {
      if (e.detail === 0) return; // a keyboard-triggered click
      const button = e.target instanceof Element ? e.target.closest('button') : null;
      button?.blur();
    };
    const onChange = (e: Event) => {
      if (e.target instanceof HTMLSelectElement && performance.now() - lastPointerMs < 5000) e.target.blur();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('click', onClick);
    window.addEventListener('change', onChange);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('click', onClick);
      window.removeEventListener('change', onChange);
    };
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

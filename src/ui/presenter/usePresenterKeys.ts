import { useEffect } from 'react';
import type { SimState } from '../../state/store';
import { usePresenter } from './presenterState';

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'color', 'file', 'submit', 'reset']);

/** Whether a key goes into text the person is typing (then every key is theirs, not the clicker's). */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

/** Controls that use the arrow keys themselves: lists, sliders, chart toolbars and the keyspace bar. */
function ownsArrows(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement && (target.type === 'range' || target.type === 'radio')) return true;
  return (
    target.closest(
      '[role="slider"], [role="listbox"], [role="tablist"], [role="menu"], [role="toolbar"], .keyspace-overlay',
    ) !== null
  );
}

/**
 * Controls whose own Space does no harm and has no other key (a list opens, a box is ticked): outside
 * presenter mode they keep Space. Buttons never do — Enter activates them.
 */
function keepsSpace(target: EventTarget | null): boolean {
  if (target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio');
}

/** The keys presenter remotes send and what they do, for the help overlay and the docs. */
export const PRESENTER_KEYS: readonly { keys: string; does: string }[] = [
  { keys: 'Space or k', does: 'play / pause' },
  { keys: '.', does: 'step one virtual second' },
  { keys: 'Page Down or →', does: 'next lesson step' },
  { keys: 'Page Up or ←', does: 'previous lesson step' },
  { keys: 'b', does: 'blank the screen (again to come back)' },
  { keys: 'f', does: 'full screen (again to leave)' },
  { keys: '?', does: 'this help' },
  { keys: 'Esc', does: 'close the help or the blank screen' },
];

type Actions = SimState['actions'];

/**
 * The keys presenter remotes send, whatever has focus (but text being typed). Space never activates the
 * focused button — a clicker's Space must not press *Load preset* or *Create stream* again — it plays or
 * pauses; Enter still activates buttons for keyboard users. Arrows and Page Up/Down step lessons in
 * presenter mode, or when a lesson is open and focus is not on a control that uses them.
 */
export function usePresenterKeys(actions: Actions, lessonOpen: () => boolean, jumping: () => boolean): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTextEntry(e.target)) return;
      const presenter = usePresenter.getState();
      const lessonKeys = presenter.presenter || (lessonOpen() && !ownsArrows(e.target));
      const space = e.key === ' ' || e.key === 'Spacebar';
      if (space && keepsSpace(e.target) && !presenter.presenter) return;
      if (space || e.key === 'k' || e.key === 'K') {
        e.preventDefault();
        if (!e.repeat) actions.togglePlay();
      } else if (e.key === '.') {
        e.preventDefault();
        if (!jumping()) actions.step(1000);
      } else if ((e.key === 'PageDown' || e.key === 'ArrowRight') && lessonKeys) {
        e.preventDefault();
        actions.lessonStep(1);
      } else if ((e.key === 'PageUp' || e.key === 'ArrowLeft') && lessonKeys) {
        e.preventDefault();
        actions.lessonStep(-1);
      } else if (e.key === 'b' || e.key === 'B') {
        e.preventDefault();
        presenter.setBlank(!presenter.blank);
      } else if (e.key === 'f' || e.key === 'F') {
        e.preventDefault();
        toggleFullScreen();
      } else if (e.key === '?') {
        e.preventDefault();
        presenter.setHelp(!presenter.help);
      } else if (e.key === 'Escape' && (presenter.help || presenter.blank)) {
        e.preventDefault();
        presenter.setHelp(false);
        presenter.setBlank(false);
      }
    };
    // A button acts on Space when the key comes up: that must not happen either.
    const onKeyUp = (e: KeyboardEvent) => {
      if ((e.key === ' ' || e.key === 'Spacebar') && !isTextEntry(e.target)) {
        if (keepsSpace(e.target) && !usePresenter.getState().presenter) return;
        e.preventDefault();
      }
    };
    // A button or list used with the mouse gives focus back, so the next key from a remote drives time.
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
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('keyup', onKeyUp, true);
    window.addEventListener('pointerdown', onPointerDown, true);
    window.addEventListener('click', onClick);
    window.addEventListener('change', onChange);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('keyup', onKeyUp, true);
      window.removeEventListener('pointerdown', onPointerDown, true);
      window.removeEventListener('click', onClick);
      window.removeEventListener('change', onChange);
    };
  }, [actions, lessonOpen, jumping]);
}

function toggleFullScreen(): void {
  if (typeof document === 'undefined') return;
  if (document.fullscreenElement) void document.exitFullscreen?.().catch(() => {});
  else void document.documentElement.requestFullscreen?.().catch(() => {});
}

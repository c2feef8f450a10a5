import { useEffect, useRef } from 'react';
import { usePresenter } from './presenterState';
import { PRESENTER_KEYS } from './usePresenterKeys';

/** The key help (the `?` key): a modal dialog listing what a presenter's remote and keyboard do. */
export function KeyHelp() {
  const open = usePresenter((s) => s.help);
  const setHelp = usePresenter((s) => s.setHelp);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal?.();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="key-help"
      aria-labelledby="key-help-heading"
      onClose={() => setHelp(false)}
    >
      <h2 id="key-help-heading">Keys</h2>
      <p>They work whatever has focus, except while you type in a field.</p>
      <table>
        <caption className="visually-hidden">Keys and what they do</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {PRESENTER_KEYS.map((k) => (
            <tr key={k.keys}>
              <th scope="row">
                <kbd>{k.keys}</kbd>
              </th>
              <td>{k.does}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Space never presses the focused button (Enter does): a clicker cannot restart a scenario by accident.
        Outside presenter mode, arrows and Page Up/Down step a lesson only while one is open.
      </p>
      <button type="button" onClick={() => setHelp(false)}>
        Close
      </button>
    </dialog>
  );
}

/** The blank screen (the `b` key): black, with one line saying how to come back. */
export function BlankScreen() {
  const blank = usePresenter((s) => s.blank);
  const setBlank = usePresenter((s) => s.setBlank);
  if (!blank) return null;
  return (
    <div className="blank-screen" role="dialog" aria-modal="true" aria-label="Screen blanked">
      <button type="button" className="blank-return" onClick={() => setBlank(false)}>
        Screen blanked — press b or click to return
      </button>
    </div>
  );
}

/** The header switch into and out of presenter mode (also `?presenter=1` in the URL). */
export function PresenterToggle() {
  const presenter = usePresenter((s) => s.presenter);
  const setPresenter = usePresenter((s) => s.setPresenter);
  const setHelp = usePresenter((s) => s.setHelp);
  return (
    <>
      <button type="button" aria-pressed={presenter} onClick={() => setPresenter(!presenter)}>
        Presenter mode
      </button>
      <button type="button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
        Keys
      </button>
    </>
  );
}

import { type ChangeEvent, useEffect, useId, useRef, useState } from 'react';
import { describeCondition, fillCaption, pauseOutcome } from '../../scenario/lessons/captions';
import { LESSONS, lessonById, lessonScenario } from '../../scenario/lessons/curriculum';
import type { Scenario } from '../../scenario/schema';
import {
  customLessonToHash,
  forgetLessonLink,
  lessonFromHash,
  lessonToHash,
  scenarioFromFile,
} from '../../scenario/share';
import { useSim } from '../../state/SimStoreProvider';
import { selectActions, selectLesson, selectLessonStatus, selectResult } from '../../state/selectors';
import type { LessonState } from '../../state/store';
import './lessons.css';

/** The address of a lesson step: `#lesson=<id>&step=<n>`, or a teacher's lesson as its scenario link. */
function stepHash(lesson: LessonState): string {
  return lesson.id !== undefined
    ? lessonToHash(lesson.id, lesson.index + 1)
    : customLessonToHash(lesson.scenario, lesson.index + 1);
}

/**
 * Guided lessons: a compact picker when none is open; while one runs, its current step (caption, what the
 * step did, where it paused — all measured by the worker), Previous / Next, a link to the step and Close.
 * Opens `#lesson=<id>&step=<n>` and `#scenario=…&step=<n>` links and lesson files.
 */
export function LessonPanel() {
  const actions = useSim(selectActions);
  const lesson = useSim(selectLesson);
  const status = useSim(selectLessonStatus);
  const result = useSim(selectResult('lesson'));
  const [picked, setPicked] = useState(LESSONS[0]?.id ?? '');
  const [copied, setCopied] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const pickerId = useId();

  // A lesson link opens its lesson when the page opens and whenever another link is pasted. Deferred a
  // turn so it is sent after ScenarioBar's own handling of the same hash (the later command wins).
  useEffect(() => {
    const openFromHash = () => {
      const link = lessonFromHash(window.location.hash);
      if (!link) return;
      if (!link.ok) {
        actions.reportResult('lesson', {
          ok: false,
          operation: 'OpenLesson',
          errorType: 'Invalid lesson link',
          message: link.message,
        });
        return;
      }
      if ('id' in link) {
        const found = lessonById(link.id);
        if (!found) {
          actions.reportResult('lesson', {
            ok: false,
            operation: 'OpenLesson',
            errorType: 'Invalid lesson link',
            message: `There is no built-in lesson "${link.id}".`,
          });
          return;
        }
        actions.openLesson(lessonScenario(found), link.step - 1, { id: found.id });
      } else actions.openLesson(link.scenario, link.step - 1);
    };
    const timer = setTimeout(openFromHash, 0);
    window.addEventListener('hashchange', openFromHash);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('hashchange', openFromHash);
    };
  }, [actions]);

  // The address bar follows the step shown, so a reload or a copied URL opens the same step.
  useEffect(() => {
    if (!lesson) return;
    const hash = stepHash(lesson);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [lesson]);

  const start = () => {
    const found = lessonById(picked);
    if (found) actions.openLesson(lessonScenario(found), 0, { id: found.id });
  };
  const openFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const parsed = await scenarioFromFile(file);
    const fail = (message: string) =>
      actions.reportResult('lesson', {
        ok: false,
        operation: 'OpenLesson',
        errorType: 'Invalid lesson file',
        message,
      });
    if (!parsed.ok) fail(parsed.message);
    else if (!parsed.scenario.steps?.length)
      fail(`${file.name} is a scenario without steps: load it with Import scenario JSON.`);
    else actions.openLesson(parsed.scenario as Scenario, 0);
  };
  const copyLink = async () => {
    if (!lesson) return;
    const url = `${window.location.origin}${window.location.pathname}${window.location.search}${stepHash(lesson)}`;
    setCopied(url);
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // Clipboard access can be refused; the link is shown to copy by hand.
    }
  };
  const close = () => {
    forgetLessonLink();
    setCopied(null);
    actions.closeLesson();
  };

  const error = result && !result.ok ? `${result.errorType}: ${result.message}` : null;

  if (!lesson)
    return (
      <section className="lesson-panel lesson-picker" aria-labelledby={headingId}>
        <h2 id={headingId}>Lessons</h2>
        <label htmlFor={pickerId}>Lesson</label>
        <select id={pickerId} value={picked} onChange={(e) => setPicked(e.target.value)}>
          {LESSONS.map((l, i) => (
            <option key={l.id} value={l.id}>
              {i + 1}. {l.name}
            </option>
          ))}
        </select>
        <button type="button" onClick={start}>
          Start lesson
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open lesson file
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          aria-label="Lesson file (a scenario JSON with steps)"
          tabIndex={-1}
          onChange={openFile}
        />
        {error ? (
          <p className="lesson-error" role="alert">
            {error}
          </p>
        ) : null}
      </section>
    );

  const step = lesson.steps[lesson.index];
  // The worker's report is about the step shown once it has run it (a replay for Previous takes a moment).
  const current = status && status.stepIndex === lesson.index ? status : null;
  const outcome = current ? pauseOutcome(current.pause) : step?.pauseWhen ? 'Running the step…' : null;
  const last = lesson.index >= lesson.steps.length - 1;
  return (
    <section className="lesson-panel lesson-running" aria-labelledby={headingId}>
      <div className="lesson-head">
        <h2 id={headingId}>
          Lesson: {lesson.name}{' '}
          <span className="lesson-count">
            Step {lesson.index + 1} of {lesson.steps.length}
          </span>
        </h2>
        <div className="lesson-buttons">
          <button
            type="button"
            onClick={() => actions.lessonStep(-1)}
            disabled={lesson.index === 0}
            aria-keyshortcuts="PageUp ArrowLeft"
          >
            ← Previous
          </button>
          <button
            type="button"
            onClick={() => actions.lessonStep(1)}
            disabled={last}
            aria-keyshortcuts="PageDown ArrowRight"
          >
            Next →
          </button>
          <button type="button" onClick={copyLink}>
            Copy link to this step
          </button>
          <button type="button" onClick={close}>
            Close lesson
          </button>
        </div>
      </div>
      <div className="lesson-body" aria-live="polite" data-testid="lesson-step">
        <p className="lesson-caption">
          <span className="visually-hidden">
            Step {lesson.index + 1} of {lesson.steps.length}:{' '}
          </span>
          {step ? fillCaption(step.caption, current?.pause) : null}
        </p>
        {outcome ? (
          <p className="lesson-outcome" data-testid="lesson-pause">
            {current?.pause?.met ? '❚❚ ' : step?.pauseWhen ? '▶ ' : ''}
            {outcome}
          </p>
        ) : step?.pauseWhen ? (
          <p className="lesson-outcome">Pauses {describeCondition(step.pauseWhen)}.</p>
        ) : null}
        {current && current.outcomes.length > 0 ? (
          <ul className="lesson-actions" aria-label="What this step did">
            {current.outcomes.map((o, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a step's outcomes are fixed, in order
              <li key={i} className={o.ok ? undefined : 'failed'}>
                {o.ok ? '' : 'Failed: '}
                {o.summary}
              </li>
            ))}
          </ul>
        ) : null}
        {last ? (
          <p className="lesson-outcome">Last step: Close lesson to leave it, or Previous to go back.</p>
        ) : null}
      </div>
      {copied ? (
        <p className="lesson-link">
          Link: <output>{copied}</output>
        </p>
      ) : null}
      {error ? (
        <p className="lesson-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { PRESETS } from '../scenario/presets';
import type { Scenario } from '../scenario/schema';
import {
  forgetSharedLink,
  isLessonHash,
  scenarioFromFile,
  scenarioFromHash,
  scenarioToHash,
  scenarioToJson,
} from '../scenario/share';
import { useSim, useSimStore } from '../state/SimStoreProvider';
import { selectActions, selectResult } from '../state/selectors';
import type { SimState } from '../state/store';
import { downloadText } from './export/download';
import { LabelledSelect } from './LabelledSelect';
import { ResultMessage } from './ResultMessage';

const selectLesson = (s: SimState) => s.snapshot?.scenario.lesson ?? null;
/** The preset selector's entry for a scenario loaded from a share link or a file (not a preset). */
const LOADED = '__loaded';
const selectSeed = (s: SimState) => s.snapshot?.seed ?? null;

/** Scenario presets, share by link, and JSON export/import of the running scenario. */
export function ScenarioBar() {
  const actions = useSim(selectActions);
  const result = useSim(selectResult('loadScenario'));
  const store = useSimStore();
  const [presetId, setPresetId] = useState(PRESETS[0]?.id ?? '');
  const lesson = useSim(selectLesson);
  const seed = useSim(selectSeed);
  const [link, setLink] = useState<{ url: string; copied: boolean } | null>(null);
  const [seedInput, setSeedInput] = useState('');
  const [seedError, setSeedError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  // A scenario loaded from a link or file: the selector shows it (and Load preset reloads it), not a preset
  // that is not running.
  const [loaded, setLoaded] = useState<{ scenario: Scenario; from: 'share link' | 'file' } | null>(null);
  const showLoaded = (scenario: Scenario, from: 'share link' | 'file') => {
    setLoaded({ scenario, from });
    setPresetId(LOADED);
  };
  const current = (): Scenario | undefined => store.getState().snapshot?.scenario;

  // A shared link loads its scenario when the page opens and whenever another link is pasted.
  useEffect(() => {
    const loadFromHash = () => {
      // A lesson link is the Lessons panel's to open (it loads the lesson's scenario itself).
      if (isLessonHash(window.location.hash)) return;
      const fromUrl = scenarioFromHash(window.location.hash);
      if (!fromUrl) return;
      if (fromUrl.ok) {
        setLoaded({ scenario: fromUrl.scenario, from: 'share link' });
        setPresetId(LOADED);
        actions.loadScenario(fromUrl.scenario);
      } else
        actions.reportResult('loadScenario', {
          ok: false,
          operation: 'LoadScenario',
          errorType: 'Invalid link',
          message: fromUrl.message,
        });
    };
    loadFromHash();
    window.addEventListener('hashchange', loadFromHash);
    return () => window.removeEventListener('hashchange', loadFromHash);
  }, [actions]);

  const loadPreset = () => {
    if (presetId === LOADED && loaded) {
      actions.loadScenario(loaded.scenario);
      return;
    }
    const preset = PRESETS.find((p) => p.id === presetId);
    if (!preset) return;
    const { id: _id, ...scenario } = preset;
    forgetSharedLink();
    setLink(null);
    actions.loadScenario(scenario);
  };
  // The same scenario from another seed: a different but equally reproducible run.
  const restartWithSeed = () => {
    const scenario = current();
    const seed = Number(seedInput === '' ? scenario?.seed : seedInput);
    if (!scenario || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      setSeedError('The seed must be a whole number from 0 to 4294967295.');
      // The previous "Scenario … loaded." is not an answer to this: it must not stand beside the refusal.
      actions.clearResult('loadScenario');
      return;
    }
    setSeedError(null);
    forgetSharedLink();
    setLink(null);
    // Restarting keeps play/pause as it was, so a paused restart can be stepped second by second.
    actions.loadScenario({ ...scenario, seed }, { paused: !store.getState().clock?.playing });
  };
  const share = async () => {
    const scenario = current();
    if (!scenario) return;
    const hash = scenarioToHash(scenario);
    window.history.replaceState(window.history.state, '', hash);
    // The link others get never carries the presenter's token (it would hand them the controls).
    const url = new URL(window.location.href);
    url.searchParams.delete('token');
    const shared = url.href;
    let copied = false;
    try {
      await navigator.clipboard.writeText(shared);
      copied = true;
    } catch {
      // Clipboard access can be refused (and is absent on plain http off localhost): copy by hand.
    }
    setLink({ url: shared, copied });
  };
  const exportJson = () => {
    const scenario = current();
    if (scenario) downloadText('shardlab-scenario.json', scenarioToJson(scenario), 'application/json');
  };
  const importJson = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const parsed = await scenarioFromFile(file);
    if (parsed.ok && parsed.scenario.steps?.length) {
      // A scenario with steps is a lesson: it opens as one, at its first step.
      forgetSharedLink();
      setLink(null);
      showLoaded(parsed.scenario, 'file');
      actions.openLesson(parsed.scenario);
    } else if (parsed.ok) {
      forgetSharedLink();
      setLink(null);
      showLoaded(parsed.scenario, 'file');
      actions.loadScenario(parsed.scenario);
    } else
      actions.reportResult('loadScenario', {
        ok: false,
        operation: 'LoadScenario',
        errorType: 'Invalid scenario file',
        message: parsed.message,
      });
  };

  return (
    <section className="panel scenario-bar" aria-labelledby="scenario-heading">
      <h2 id="scenario-heading">Scenarios</h2>
      <div className="scenario-controls">
        <LabelledSelect
          className="inline-field"
          label="Preset"
          value={presetId}
          onChange={(e) => setPresetId(e.target.value)}
        >
          {loaded ? (
            <option value={LOADED}>
              {loaded.scenario.name ?? 'Unnamed scenario'} (from the {loaded.from})
            </option>
          ) : null}
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </LabelledSelect>
        <button type="button" className="primary" onClick={loadPreset}>
          Load preset
        </button>
        <label className="inline-field">
          Seed
          <input
            className="seed"
            inputMode="numeric"
            value={seedInput}
            placeholder={seed === null ? '' : String(seed)}
            onChange={(e) => setSeedInput(e.target.value)}
          />
        </label>
        <button type="button" onClick={restartWithSeed}>
          Restart with seed
        </button>
        <button type="button" onClick={share}>
          Copy share link
        </button>
        <button type="button" onClick={exportJson}>
          Export scenario JSON
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import scenario JSON
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          onChange={importJson}
          hidden
          aria-label="Scenario file to import"
        />
      </div>
      {lesson ? (
        <p className="lesson" data-testid="lesson">
          <strong>Lesson:</strong> {lesson}
        </p>
      ) : null}
      {seedError ? (
        <p className="result error" role="alert">
          {seedError}
        </p>
      ) : null}
      <ResultMessage
        result={result}
        success={(o) => `Scenario ${o.name ? `"${String(o.name)}" ` : ''}loaded.`}
      />
      {link ? (
        <label className="share-link">
          {link.copied ? 'Share link (copied to the clipboard)' : 'Share link (select it and copy it)'}
          <input readOnly value={link.url} onFocus={(e) => e.target.select()} />
        </label>
      ) : null}
    </section>
  );
}

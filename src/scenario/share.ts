import { MAX_SCENARIO_BYTES, parseScenario, type Scenario, type ScenarioResult } from './schema';

const URL_KEY = 'scenario';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The scenario as a JSON document (what export writes and import reads). */
export function scenarioToJson(scenario: Scenario): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** A URL hash fragment (`#scenario=…`) that carries the whole scenario. */
export function scenarioToHash(scenario: Scenario): string {
  return `#${URL_KEY}=${toBase64Url(JSON.stringify(scenario))}`;
}

/** Reads a scenario from a URL hash; undefined when the hash carries none. */
export function scenarioFromHash(hash: string): ScenarioResult | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const encoded = params.get(URL_KEY);
  if (encoded === null) return undefined;
  if (encoded.length > (MAX_SCENARIO_BYTES * 4) / 3) {
    return { ok: false, message: 'The shared link is too large to be a Shardlab scenario.' };
  }
  let json: string;
  try {
    json = fromBase64Url(encoded);
  } catch {
    return { ok: false, message: 'The shared link is damaged: its scenario is not valid base64url text.' };
  }
  return scenarioFromJson(json, 'The shared link');
}

/** Parses a scenario document (from a file or a link), refusing oversized or malformed input. */
export function scenarioFromJson(text: string, source = 'The file'): ScenarioResult {
  if (text.length > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      message: `${source} is larger than ${MAX_SCENARIO_BYTES / 1024} KiB, too large to be a Shardlab scenario.`,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `${source} is not JSON: ${error instanceof Error ? error.message : String(error)}.`,
    };
  }
  return parseScenario(data);
}

/** Reads an imported file, checking its size before reading it. */
export async function scenarioFromFile(file: File): Promise<ScenarioResult> {
  if (file.size > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      message: `${file.name} is ${Math.ceil(file.size / 1024)} KiB; a Shardlab scenario is at most ${MAX_SCENARIO_BYTES / 1024} KiB.`,
    };
  }
  return scenarioFromJson(await file.text(), file.name);
}

/**
 * Drops a `#scenario=` link from the address bar once the page runs something else, so a reload does not
 * bring the old scenario back.
 */
export function forgetSharedLink(): void {
  if (typeof window !== 'undefined' && window.location.hash.includes(`${URL_KEY}=`)) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

/** What a lesson link opens: a built-in lesson by id, or a teacher's lesson carried whole; `step` is 1-based. */
export type LessonLink =
  | { ok: true; id: string; step: number }
  | { ok: true; scenario: Scenario; step: number }
  | { ok: false; message: string };

/** `#lesson=<id>&step=<n>`: a built-in lesson at step n (1-based). */
export function lessonToHash(id: string, step: number): string {
  return `#lesson=${encodeURIComponent(id)}&step=${step}`;
}

/** A teacher's lesson (a scenario with steps) as a share link at step n: the scenario link plus `&step=n`. */
export function customLessonToHash(scenario: Scenario, step: number): string {
  return `${scenarioToHash(scenario)}&step=${step}`;
}

/**
 * Whether a URL hash opens a lesson (`#lesson=…`, or `#scenario=…` whose scenario has steps). ScenarioBar
 * skips such links: the lesson panel opens them.
 */
export function isLessonHash(hash: string): boolean {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  if (params.has('lesson')) return true;
  if (!params.has(URL_KEY)) return false;
  const parsed = scenarioFromHash(hash);
  return parsed?.ok === true && (parsed.scenario.steps?.length ?? 0) > 0;
}

/** Reads a lesson link from a URL hash; undefined when the hash is not one (see isLessonHash). */
export function lessonFromHash(hash: string): LessonLink | undefined {
  if (!isLessonHash(hash)) {
    const params = new URLSearchParams(hash.replace(/^#/, ''));
    // A damaged `#scenario=` link is ScenarioBar's to report; a damaged lesson id is ours.
    if (!params.has('lesson')) return undefined;
  }
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const stepText = params.get('step') ?? '1';
  const step = Number(stepText);
  if (!Number.isSafeInteger(step) || step < 1)
    return { ok: false, message: `The link's step "${stepText}" is not a step number (1, 2, …).` };
  const id = params.get('lesson');
  if (id !== null) return { ok: true, id, step };
  const parsed = scenarioFromHash(hash);
  if (!parsed) return undefined;
  return parsed.ok ? { ok: true, scenario: parsed.scenario, step } : { ok: false, message: parsed.message };
}

/** Drops a lesson link from the address bar (the lesson was closed or something else was loaded). */
export function forgetLessonLink(): void {
  if (typeof window !== 'undefined' && isLessonHash(window.location.hash)) {
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

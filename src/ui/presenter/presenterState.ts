import { create } from 'zustand';

/** The charts the stage can show, one at a time. */
export const STAGE_CHARTS = [
  'throughput',
  'throttling',
  'keyDistribution',
  'retention',
  'lineage',
  'capacity',
] as const;
export type StageChart = (typeof STAGE_CHARTS)[number];

/** The URL parameter that opens the page in presenter mode (`?presenter=1`), so a projector link keeps it. */
export const PRESENTER_PARAM = 'presenter';

interface PresenterState {
  /** The stage: one screen at 1280×720 with the clock, shards, keyspace, diagnosis and one chart. */
  presenter: boolean;
  /** The screen is blanked (the `b` key): a presenter's pause for attention. */
  blank: boolean;
  /** The key help overlay (the `?` key). */
  help: boolean;
  stageChart: StageChart;
  setPresenter(on: boolean): void;
  setBlank(on: boolean): void;
  setHelp(on: boolean): void;
  setStageChart(chart: StageChart): void;
}

function presenterFromUrl(): boolean {
  if (typeof window === 'undefined') return false;
  const value = new URLSearchParams(window.location.search).get(PRESENTER_PARAM);
  return value !== null && value !== '0' && value !== 'false';
}

/**
 * Presenter mode is page state, not simulation state: it lives here, not in the simulation store, and in the
 * URL (`?presenter=1`) so a reload or a shared projector link keeps it.
 */
export const usePresenter = create<PresenterState>()((set) => ({
  presenter: presenterFromUrl(),
  blank: false,
  help: false,
  stageChart: 'throughput',
  setPresenter(on) {
    if (typeof window !== 'undefined') {
      const url = new URL(window.location.href);
      if (on) url.searchParams.set(PRESENTER_PARAM, '1');
      else url.searchParams.delete(PRESENTER_PARAM);
      window.history.replaceState(window.history.state, '', url);
    }
    set({ presenter: on, blank: false });
  },
  setBlank: (blank) => set({ blank }),
  setHelp: (help) => set({ help }),
  setStageChart: (stageChart) => set({ stageChart }),
}));

import {
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { chartToPng, downloadBlob, downloadText, toCsv } from '../export/download';
import { ScrollRegion } from '../ScrollRegion';
import './charts.css';

/** A chart's data as CSV: a header row and one row per record. */
export interface CsvData {
  headers: string[];
  rows: (string | number)[][];
}

/** Rows a chart's data table shows at once; more are paged (the CSV export always has every row). */
export const TABLE_PAGE = 200;

/** Cuts a table's rows to the page shown (a chart's table builder calls it on its row list). */
export type PageRows = <T>(items: readonly T[]) => readonly T[];

const CONTROLS = 'button:not([disabled]), select:not([disabled]), input:not([disabled])';

/**
 * A roving tab stop over the controls inside `ref` (WAI-ARIA toolbar): only the last one used is in the Tab
 * order, ←/→ (and Home/End) move between them. Returns the toolbar's key and focus handlers.
 */
export function useRovingFocus(ref: RefObject<HTMLElement | null>) {
  const active = useRef(0);
  const controls = () => Array.from(ref.current?.querySelectorAll<HTMLElement>(CONTROLS) ?? []);
  // After every render (controls come and go, e.g. "Show table" ↔ "Show chart"): one tab stop.
  useLayoutEffect(() => {
    const list = controls();
    const at = Math.min(active.current, Math.max(0, list.length - 1));
    list.forEach((c, i) => {
      c.tabIndex = i === at ? 0 : -1;
    });
  });
  const move = (to: number) => {
    const list = controls();
    if (list.length === 0) return;
    const at = (to + list.length) % list.length;
    active.current = at;
    list.forEach((c, i) => {
      c.tabIndex = i === at ? 0 : -1;
    });
    list[at]?.focus();
  };
  return {
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
      const at = controls().indexOf(e.target as HTMLElement);
      if (at < 0) return;
      const to =
        e.key === 'ArrowRight'
          ? at + 1
          : e.key === 'ArrowLeft'
            ? at - 1
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? controls().length - 1
                : null;
      if (to === null) return;
      e.preventDefault();
      move(to);
    },
    onFocus: (e: { target: EventTarget }) => {
      const list = controls();
      const at = list.indexOf(e.target as HTMLElement);
      if (at < 0) return;
      active.current = at;
      list.forEach((c, i) => {
        c.tabIndex = i === at ? 0 : -1;
      });
    },
  };
}

/** Recharts' layers: React portal containers inside the chart's SVG. */
const PORTAL_LAYERS = 'g[class^="recharts-zIndex-layer"]:not([tabindex])';

/**
 * Keeps recharts' layers out of the Tab order. Recharts renders a chart's layers as React portal containers
 * (`<g class="recharts-zIndex-layer_N">`); React attaches its focusin/focusout listeners to every portal
 * container, and Chromium makes an SVG element with focus listeners a Tab stop: each chart put 4–5 unnamed
 * stops in the Tab order (their `tabIndex` still reads −1). `tabindex="-1"` takes them out. A chart adds
 * layers as its data arrives, so new ones are marked as they appear.
 */
function useOutOfTabOrder(ref: RefObject<HTMLElement | null>, hidden: boolean): void {
  useLayoutEffect(() => {
    const body = ref.current;
    if (hidden || !body) return;
    const mark = () => {
      for (const layer of Array.from(body.querySelectorAll(PORTAL_LAYERS)))
        layer.setAttribute('tabindex', '-1');
    };
    mark();
    const observer = new MutationObserver(mark);
    observer.observe(body, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [ref, hidden]);
}

const fileName = (title: string) => `shardlab-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/**
 * A chart with its caption, a toggle to an accessible data table of the same numbers (no chart is the only
 * way to read its data), and CSV and PNG export. Its controls are one toolbar, so a chart is one Tab stop.
 */
export function ChartFrame({
  title,
  description,
  chart,
  table,
  csv,
  actions,
}: {
  title: string;
  description: ReactNode;
  chart: ReactNode;
  /** The data table, or a function that builds it (only called while the table is shown: big tables cost). */
  table: ReactNode | ((page: PageRows) => ReactNode);
  csv: () => CsvData;
  actions?: ReactNode;
}) {
  const [showTable, setShowTable] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [page, setPage] = useState(0);
  const id = useId();
  const chartRef = useRef<HTMLDivElement>(null);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const roving = useRovingFocus(toolbarRef);
  useOutOfTabOrder(chartRef, showTable);
  const exportCsv = () => {
    const data = csv();
    downloadText(`${fileName(title)}.csv`, toCsv(data.headers, data.rows), 'text/csv');
  };
  const exportPng = async () => {
    try {
      if (!chartRef.current) throw new Error('show the chart first');
      downloadBlob(`${fileName(title)}.png`, await chartToPng(chartRef.current));
      setExportError(null);
    } catch (error) {
      setExportError(`PNG export failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  // The table is built only while shown, one page of rows at a time: thousands of shards would cost every
  // refresh.
  let total = 0;
  let shown = 0;
  const pageRows: PageRows = (items) => {
    total = items.length;
    shown = Math.min(page, Math.max(0, Math.ceil(total / TABLE_PAGE) - 1));
    return items.slice(shown * TABLE_PAGE, (shown + 1) * TABLE_PAGE);
  };
  const tableNode = showTable ? (typeof table === 'function' ? table(pageRows) : table) : null;
  const pages = Math.ceil(total / TABLE_PAGE);
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
        <span className="chart-description">{description}</span>
        <div
          ref={toolbarRef}
          className="chart-toolbar"
          role="toolbar"
          aria-label={`${title} chart controls (arrow keys move between them)`}
          {...roving}
        >
          <button
            type="button"
            className="link"
            aria-pressed={showTable}
            onClick={() => setShowTable(!showTable)}
          >
            {showTable ? `Show ${title} chart` : `Show ${title} data table`}
          </button>
          <button type="button" className="link" onClick={exportCsv}>
            Export {title} CSV
          </button>
          <button type="button" className="link" onClick={exportPng} disabled={showTable}>
            Export {title} PNG
          </button>
          {actions}
        </div>
      </figcaption>
      {exportError ? (
        <p className="result error" role="alert">
          {exportError}
        </p>
      ) : null}
      {showTable ? (
        <ScrollRegion label={`${title} data`} className="chart-table">
          {tableNode}
        </ScrollRegion>
      ) : null}
      {showTable && pages > 1 ? (
        <p className="table-pager">
          <button type="button" onClick={() => setPage(shown - 1)} disabled={shown === 0}>
            Previous {TABLE_PAGE} {title} rows
          </button>{' '}
          <span aria-live="polite">
            Rows {(shown * TABLE_PAGE + 1).toLocaleString('en-US')}–
            {Math.min(total, (shown + 1) * TABLE_PAGE).toLocaleString('en-US')} of{' '}
            {total.toLocaleString('en-US')} (CSV export has all)
          </span>{' '}
          <button type="button" onClick={() => setPage(shown + 1)} disabled={shown >= pages - 1}>
            Next {TABLE_PAGE} {title} rows
          </button>
        </p>
      ) : null}
      {showTable ? null : (
        <div ref={chartRef} className="chart-body">
          {chart}
        </div>
      )}
    </figure>
  );
}

import { type ReactNode, useId, useRef, useState } from 'react';
import { chartToPng, downloadBlob, downloadText, toCsv } from '../export/download';
import { ScrollRegion } from '../ScrollRegion';

/** A chart's data as CSV: a header row and one row per record. */
export interface CsvData {
  headers: string[];
  rows: (string | number)[][];
}

const fileName = (title: string) => `shardlab-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/**
 * A chart with its caption, a toggle to an accessible data table of the same numbers (no chart is the only
 * way to read its data), and CSV and PNG export.
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
  table: ReactNode | (() => ReactNode);
  csv: () => CsvData;
  actions?: ReactNode;
}) {
  const [showTable, setShowTable] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const id = useId();
  const chartRef = useRef<HTMLDivElement>(null);
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
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`}>{title}</h3>
        <span className="chart-description">{description}</span>
        <span className="chart-actions">
          {actions}
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
        </span>
      </figcaption>
      {exportError ? (
        <p className="result error" role="alert">
          {exportError}
        </p>
      ) : null}
      {showTable ? (
        <ScrollRegion label={`${title} data`} className="chart-table">
          {typeof table === 'function' ? table() : table}
        </ScrollRegion>
      ) : (
        <div ref={chartRef} className="chart-body">
          {chart}
        </div>
      )}
    </figure>
  );
}

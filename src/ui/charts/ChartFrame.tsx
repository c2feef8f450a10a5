import { type ReactNode, useId, useState } from 'react';

/**
 * A chart with its caption and a toggle to an accessible data table of the same numbers, so no chart is
 * the only way to read its data.
 */
export function ChartFrame({
  title,
  description,
  chart,
  table,
  actions,
}: {
  title: string;
  description: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  actions?: ReactNode;
}) {
  const [showTable, setShowTable] = useState(false);
  const id = useId();
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
        </span>
      </figcaption>
      {showTable ? <div className="table-scroll chart-table">{table}</div> : chart}
    </figure>
  );
}

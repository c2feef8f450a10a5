/**
 * Line colours and legend/marker shapes: each series differs in both, so colour is never the only signal.
 * (Dashed lines would do it too, but recharts measures every dashed path's length on each render.)
 */
export const SERIES_STYLES = [
  { stroke: '#2563eb', shape: 'circle' },
  { stroke: '#d97706', shape: 'square' },
  { stroke: '#059669', shape: 'triangle' },
  { stroke: '#7c3aed', shape: 'diamond' },
  { stroke: '#db2777', shape: 'star' },
  { stroke: '#0891b2', shape: 'cross' },
  { stroke: '#65a30d', shape: 'wye' },
  { stroke: '#475569', shape: 'rect' },
] as const;

export const LIMIT_COLOUR = '#b91c1c';

/** Line colours and dash patterns: each series differs in both, so colour is never the only signal. */
export const SERIES_STYLES = [
  { stroke: '#2563eb', dash: undefined },
  { stroke: '#d97706', dash: '6 3' },
  { stroke: '#059669', dash: '2 2' },
  { stroke: '#7c3aed', dash: '8 3 2 3' },
  { stroke: '#db2777', dash: '4 4' },
  { stroke: '#0891b2', dash: '10 4' },
  { stroke: '#65a30d', dash: '1 3' },
  { stroke: '#475569', dash: '12 2 2 2' },
] as const;

export const LIMIT_COLOUR = '#b91c1c';

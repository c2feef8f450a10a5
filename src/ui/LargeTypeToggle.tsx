import { useEffect, useState } from 'react';

const STORAGE_KEY = 'shardlab.largeType';

function initial(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

/** Large type for projectors: scales every rem-based size; remembered in this browser. */
export function LargeTypeToggle() {
  const [large, setLarge] = useState(initial);
  useEffect(() => {
    document.documentElement.classList.toggle('large-type', large);
    try {
      localStorage.setItem(STORAGE_KEY, large ? '1' : '0');
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this page only.
    }
  }, [large]);
  return (
    <button type="button" aria-pressed={large} onClick={() => setLarge(!large)}>
      Large type
    </button>
  );
}

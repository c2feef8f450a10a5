import { afterEach } from 'vitest';

// jest-dom matchers and RTL cleanup only matter in DOM environments; engine tests run in plain Node.
if (typeof document !== 'undefined') {
  await import('@testing-library/jest-dom/vitest');
  const { cleanup } = await import('@testing-library/react');
  afterEach(() => cleanup());
}

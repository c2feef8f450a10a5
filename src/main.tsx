import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SimStoreProvider } from './state/SimStoreProvider';
import { createSimStore } from './state/store';
import { App } from './ui/App';
import { createWorkerClient } from './worker/client';
import { SERVER_SESSION_PATH, type ServerSessionInfo } from './worker/protocol';
import './ui/app.css';

/**
 * The WebSocket URL of `npm start`'s server when it serves this page (the engine then runs there, shared
 * with Kinesis clients), or undefined when the page is served statically (the engine runs in the page).
 * The presenter's token, if the page's URL has one, goes along.
 */
async function serverSocketUrl(): Promise<string | undefined> {
  try {
    const answer = await fetch(SERVER_SESSION_PATH, { cache: 'no-store' });
    if (!answer.ok || !(answer.headers.get('content-type') ?? '').startsWith('application/json'))
      return undefined;
    const info = (await answer.json()) as Partial<ServerSessionInfo>;
    if (info.server !== 'shardlab' || typeof info.socket !== 'string') return undefined;
    const url = new URL(info.socket, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = new URLSearchParams(window.location.search).get('token');
    if (token) url.searchParams.set('token', token);
    return url.href;
  } catch {
    return undefined;
  }
}

const store = createSimStore(createWorkerClient(await serverSocketUrl()));
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <SimStoreProvider store={store}>
      <App />
    </SimStoreProvider>
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SimStoreProvider } from './state/SimStoreProvider';
import { createSimStore } from './state/store';
import { App } from './ui/App';
import { createWorkerClient } from './worker/client';
import './ui/app.css';

const store = createSimStore(createWorkerClient());
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <SimStoreProvider store={store}>
      <App />
    </SimStoreProvider>
  </StrictMode>,
);

import '@hearth/ui/styles.css';
import './app.css';
import { createHearthClient } from '@hearth/client';
import { HearthProvider, SafeLocationProvider } from '@hearth/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

// Same origin as the page: the server that serves this app also serves the API at /trpc.
const client = createHearthClient({ url: '/trpc' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HearthProvider client={client}>
      <SafeLocationProvider>
        <App />
      </SafeLocationProvider>
    </HearthProvider>
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../ui/App';
import { ErrorBoundary } from './ErrorBoundary';
import { createLabStore, LabProvider } from '../state/store';
import { createLab } from './createLab';
import './styles.css';

const lab = createLab();
const store = createLabStore(lab);
// ?workers=N pins the number of decoder workers (for benchmarks and profiling).
const workers = Number(new URLSearchParams(location.search).get('workers'));
if (Number.isInteger(workers) && workers >= 1 && workers <= 16) lab.data.setPoolSize(workers);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <LabProvider lab={lab} store={store}>
        <App />
      </LabProvider>
    </ErrorBoundary>
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../ui/App';
import { ErrorBoundary } from './ErrorBoundary';
import { useLab } from '../state/store';
import './styles.css';

// ?workers=N pins the number of decoder workers (for benchmarks and profiling).
const workers = Number(new URLSearchParams(location.search).get('workers'));
if (Number.isInteger(workers) && workers >= 1 && workers <= 16) useLab.setState({ poolSize: workers });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);

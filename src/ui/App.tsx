import { useEffect, useState, type DragEvent } from 'react';
import { useLab } from '../state/store';
import { BackendBadge } from './BackendBadge';
import { DatasetView } from './DatasetView';
import { ImportProgress } from './ImportProgress';
import { SkippedTable } from './SkippedTable';
import { StartPage } from './StartPage';

export function App() {
  const { phase, dataset, error, failedSkipped, importDrop, refreshCached } = useLab();
  const [dragging, setDragging] = useState(false);
  useEffect(() => void refreshCached(), [refreshCached]);

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (phase === 'importing') return;
    void importDrop(e.dataTransfer.items);
  };

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="app-head">
        <h1>Fashion CNN Lab</h1>
        <nav aria-label="Steps">
          <ol className="steps">
            <li aria-current="step">Data</li>
          </ol>
        </nav>
        <BackendBadge />
      </header>
      <main>
        {error && (
          <div className="error" role="alert" data-testid="error">
            {error}
          </div>
        )}
        {error && failedSkipped.length > 0 && <SkippedTable skipped={failedSkipped} />}
        {phase === 'importing' ? (
          <ImportProgress />
        ) : dataset ? (
          <DatasetView view={dataset} />
        ) : (
          <StartPage />
        )}
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop the folder to import it
        </div>
      )}
    </div>
  );
}

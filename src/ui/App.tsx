import { useEffect, useState, type DragEvent } from 'react';
import { useLab } from '../state/store';
import { BackendBadge } from './BackendBadge';
import { DatasetView } from './DatasetView';
import { ImportProgress } from './ImportProgress';
import { SkippedTable } from './SkippedTable';
import { StartPage } from './StartPage';
import { LabelView } from './label/LabelView';
import { ReportView } from './report/ReportView';
import { TrainView } from './train/TrainView';

export function App() {
  const {
    phase,
    dataset,
    error,
    failedSkipped,
    importDrop,
    startUp,
    notice,
    dismissNotice,
    unfinished,
    discardUnfinished,
  } = useLab();
  const [dragging, setDragging] = useState(false);
  const [step, setStep] = useState<'data' | 'train' | 'label' | 'report'>('data');
  const training = useLab((s) => s.training);
  const showTrain = step === 'train' && !!dataset && phase !== 'importing';
  const showLabel = step === 'label' && phase !== 'importing';
  const showReport = step === 'report' && !!dataset && phase !== 'importing';
  useEffect(() => void startUp(), [startUp]);

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (phase === 'importing' || training) return;
    setStep('data');
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
            <li aria-current={showTrain || showLabel || showReport ? undefined : 'step'}>
              <button type="button" onClick={() => setStep('data')}>
                Data
              </button>
            </li>
            <li aria-current={showTrain ? 'step' : undefined}>
              <button
                type="button"
                disabled={!dataset || phase === 'importing'}
                onClick={() => setStep('train')}
              >
                Train
              </button>
            </li>
            <li aria-current={showLabel ? 'step' : undefined}>
              <button type="button" disabled={phase === 'importing'} onClick={() => setStep('label')}>
                Label
              </button>
            </li>
            <li aria-current={showReport ? 'step' : undefined}>
              <button
                type="button"
                disabled={!dataset || phase === 'importing'}
                onClick={() => setStep('report')}
              >
                Report
              </button>
            </li>
          </ol>
        </nav>
        <BackendBadge />
      </header>
      <main>
        {notice && (
          <div className="warning" role="status" data-testid="notice">
            {notice}{' '}
            <button type="button" className="link" onClick={dismissNotice}>
              OK
            </button>
            {unfinished.length > 0 && (
              <button type="button" className="link" onClick={() => void discardUnfinished()}>
                Discard the unfinished import{unfinished.length > 1 ? 's' : ''}
              </button>
            )}
          </div>
        )}
        {error && (
          <div className="error" role="alert" data-testid="error">
            {error}
          </div>
        )}
        {error && failedSkipped.length > 0 && <SkippedTable skipped={failedSkipped} />}
        {showReport ? (
          <ReportView datasetId={dataset.id} classes={dataset.classes} />
        ) : showLabel ? (
          <LabelView />
        ) : showTrain ? (
          <TrainView datasetId={dataset.id} classes={dataset.classes} />
        ) : phase === 'importing' ? (
          <ImportProgress />
        ) : dataset ? (
          <DatasetView view={dataset} onTrain={() => setStep('train')} />
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

import { useEffect, useState } from 'react';
import type { BackendName } from '../../core/backendChoice';
import { formatPercent } from '../../core/format';
import { runScore } from '../../core/runs';
import { useLab } from '../../state/store';
import { TaskPanel } from './TaskPanel';

const BACKENDS: [BackendName | 'auto', string][] = [
  ['auto', 'Automatic (fastest here)'],
  ['webgpu', 'WebGPU'],
  ['webgl', 'WebGL'],
  ['wasm', 'WASM (CPU)'],
  ['cpu', 'Plain JavaScript (slowest)'],
];

/** One tab per task derived from the label tree; each trains in the training worker with live panels. */
export function TrainView({ datasetId, classes }: { datasetId: string; classes: string[][] }) {
  const s = useLab();
  const [everyKind, setEveryKind] = useState<'study' | 'quick'>('quick');
  const { openTraining } = s;
  useEffect(() => void openTraining(datasetId, classes), [openTraining, datasetId, classes]);
  const task = s.tasks.find((t) => t.id === s.taskId) ?? s.tasks[0];
  if (!s.tasks.length)
    return (
      <p className="hint">
        This dataset has no task to train: it needs at least two classes, under one folder or across several.
      </p>
    );
  const bestOf = (taskId: string) => {
    const scores = s.runs
      .filter((r) => r.taskId === taskId && r.status === 'done')
      .map((r) => runScore(r) ?? 0);
    return scores.length ? Math.max(...scores) : null;
  };
  return (
    <section className="train" aria-labelledby="train-title">
      <header className="train-head">
        <h2 id="train-title">Train</h2>
        <label>
          Backend
          <select
            value={s.backendOverride}
            disabled={s.training}
            onChange={(e) => s.overrideBackend(e.target.value as BackendName | 'auto')}
          >
            {BACKENDS.map(([v, text]) => (
              <option key={v} value={v}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={s.training || !!s.backendStatus}
          title="Trains a few steps on every backend this browser offers and keeps the fastest for Automatic (remembered on this device)"
          onClick={() => void s.timeBackends()}
        >
          Time the backends
        </button>
        <label>
          Every task with
          <select
            value={everyKind}
            disabled={s.training}
            onChange={(e) => setEveryKind(e.target.value as 'study' | 'quick')}
          >
            <option value="quick">Quick look (8 filters, 3 epochs)</option>
            <option value="study">The study's settings</option>
          </select>
        </label>
        <button type="button" disabled={s.training} onClick={() => void s.trainEveryTask(everyKind)}>
          Train every task
        </button>
        <button type="button" className="stop" disabled={!s.training} onClick={() => void s.stop()}>
          Stop
        </button>
        {s.trainedOn && (
          <span className="hint" data-testid="trained-on" data-backend={s.trainedOn.backend}>
            Training on {s.trainedOn.label}: {s.trainedOn.reason}
          </span>
        )}
        {s.trainInput && (
          <span className="hint" data-testid="train-input" data-path={s.trainInput.path}>
            Images: {s.trainInput.summary}
          </span>
        )}
      </header>
      {s.trainError && (
        <div className="error" role="alert" data-testid="train-error">
          {s.trainError}
        </div>
      )}
      {s.queue.length > 0 && <p className="hint">Then {s.queue.length} more task(s).</p>}
      <div role="tablist" aria-label="Tasks" className="task-tabs">
        {s.tasks.map((t) => {
          const best = bestOf(t.id);
          const busy = s.live?.taskId === t.id;
          return (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={t.id === task?.id}
              data-task={t.id}
              onClick={() => s.selectTask(t.id)}
            >
              {t.name}
              {busy ? ' · training' : best !== null ? ` · ${formatPercent(best, 0)}` : ''}
            </button>
          );
        })}
      </div>
      {task && <TaskPanel key={task.id} task={task} />}
    </section>
  );
}

import { firstLookCaveat } from '../../core/explain';
import { formatPercent } from '../../core/format';
import { describeModel } from '../../core/models';
import { summariseModel } from '../../core/modelSummary';
import { chosenRun } from '../../core/chosenRun';
import { jobRunCount, runScore } from '../../core/runs';
import type { Task } from '../../core/tasks';
import { gridSize } from '../../core/trainDraft';
import { useLab } from '../../state/store';
import { BatchCurves } from './Curves';
import { GridEditor } from './GridEditor';
import { GridResults } from './GridResults';
import { ModelSummaryTable } from './ModelSummaryTable';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';
import { TaskSettingsForm } from './TaskSettingsForm';
import { TrainProgress } from './TrainProgress';

export function TaskPanel({ task }: { task: Task }) {
  const s = useLab();
  const draft = s.drafts[task.id];
  if (!draft) return null;
  const jobs = s.jobs.filter((j) => j.taskId === task.id);
  const runs = s.runs.filter((r) => r.taskId === task.id);
  const live = s.live?.taskId === task.id ? s.live : null;
  const chosen = chosenRun(runs);
  const selected = runs.find((r) => r.id === s.selectedRunId) ?? (live ? undefined : chosen) ?? runs.at(-1);
  const gridJobs = jobs.filter((j) => jobRunCount(j) > 1);
  const buildProblem = summariseModel(draft.spec, task.outputs.length).problem;
  const cells = gridSize(draft);
  const caveat =
    chosen?.test &&
    firstLookCaveat({
      classes: task.outputs.length,
      epochs: chosen.settings.epochs,
      testImages: chosen.test.confusion.flat().reduce((a, b) => a + b, 0),
      accuracy: chosen.test.accuracy,
    });
  return (
    <div className="task-panel" role="tabpanel" aria-label={task.name} data-task={task.id}>
      <p className="task-about">
        {task.outputs.length} classes: {task.outputs.map((o) => o.at(-1)).join(', ')}.
      </p>
      <div className="task-columns">
        <div className="task-setup">
          <TaskSettingsForm draft={draft} disabled={s.training} onChange={(d) => s.updateDraft(task.id, d)} />
          <div className="buttons">
            <button
              type="button"
              className="primary"
              disabled={s.training || !!buildProblem}
              onClick={() => void s.train(task.id, 'single')}
            >
              Train
            </button>
            <button type="button" disabled={s.training} onClick={() => s.resetDraft(task.id, 'study')}>
              Study settings
            </button>
            <button type="button" disabled={s.training} onClick={() => s.resetDraft(task.id, 'quick')}>
              Quick look
            </button>
          </div>
          <ModelSummaryTable spec={draft.spec} classes={task.outputs.length} />
          <GridEditor
            key={`${task.id}:${draft.preset}`}
            task={task}
            draft={draft}
            disabled={s.training}
            onChange={(d) => s.updateDraft(task.id, d)}
            onPreset={(i) => s.loadPreset(task.id, i)}
          />
          <button
            type="button"
            disabled={s.training || !!buildProblem || cells * draft.repeats < 2}
            onClick={() => void s.train(task.id, 'grid')}
          >
            Run grid ({cells * draft.repeats} runs)
          </button>
        </div>
        <div className="task-results">
          {live && (
            <section className="live" aria-label="Training now">
              <TrainProgress live={live} />
              <BatchCurves points={live.points} />
            </section>
          )}
          {chosen && (
            <p
              className="chosen"
              data-testid="chosen-run"
              data-test-accuracy={chosen.test!.accuracy.toFixed(4)}
            >
              Chosen model (best validation accuracy of {runs.filter((r) => r.status === 'done').length}{' '}
              finished run{runs.length === 1 ? '' : 's'}): {describeModel(chosen.spec)}, seed{' '}
              {chosen.settings.seed}: validation {formatPercent(runScore(chosen) ?? 0)},{' '}
              <strong>test {formatPercent(chosen.test!.accuracy)}</strong>.{' '}
              {chosen.id !== selected?.id && (
                <button type="button" className="link" onClick={() => s.selectRun(chosen.id)}>
                  Show it
                </button>
              )}
            </p>
          )}
          {caveat && (
            <p className="hint first-look" data-testid="first-look">
              {caveat}
            </p>
          )}
          {selected && (
            <RunDetail
              run={selected}
              epochs={live?.runId === selected.id ? live.results : selected.epochs}
              bestEpoch={live?.runId === selected.id ? live.bestEpoch : selected.bestEpoch}
            />
          )}
          {gridJobs.map((j) => (
            <GridResults key={j.id} job={j} runs={runs} />
          ))}
          <h3>Runs</h3>
          <RunsTable jobs={jobs} runs={runs} />
        </div>
      </div>
    </div>
  );
}

import { formatPercent } from '../../core/format';
import { describeModel } from '../../core/models';
import { elsewhereLabel, jobRunCount, runScore, type JobRecord, type RunRecord } from '../../core/runs';
import { runCsv, runJson } from '../../core/results';
import { useLab } from '../../state/store';
import { fileSafe, saveBlob } from '../download';

function Downloads({ run }: { run: RunRecord }) {
  const modelZip = useLab((s) => s.modelZip);
  const showError = useLab((s) => s.showTrainError);
  const name = fileSafe(`${run.taskName}-run-${run.cell + 1}.${run.repeat + 1}`);
  const save = (text: string, type: string, ext: string) =>
    saveBlob(new Blob([text], { type }), `${name}.${ext}`);
  return (
    <span className="downloads" onClick={(e) => e.stopPropagation()}>
      {run.modelSaved && (
        <button
          type="button"
          className="link"
          onClick={() =>
            void modelZip(run.id)
              .then((b) => saveBlob(b, `${name}-model.zip`))
              .catch((e: Error) => showError(e.message))
          }
        >
          model
        </button>
      )}
      <button
        type="button"
        className="link"
        onClick={() => save(JSON.stringify(runJson(run), null, 1), 'application/json', 'json')}
      >
        JSON
      </button>
      <button type="button" className="link" onClick={() => save(runCsv(run), 'text/csv', 'csv')}>
        CSV
      </button>
    </span>
  );
}

const STATUS: Record<RunRecord['status'], string> = {
  running: 'training',
  done: 'done',
  stopped: 'stopped',
  interrupted: 'interrupted',
  failed: 'failed',
};

/** A task's jobs and their runs, newest first: scores, status, and Resume where a job was cut short. */
export function RunsTable({ jobs, runs }: { jobs: JobRecord[]; runs: RunRecord[] }) {
  const { selectedRunId, selectRun, resume, deleteJob, training, live } = useLab();
  if (!jobs.length) return <p className="hint">No runs of this task yet.</p>;
  return (
    <table className="runs" data-testid="runs-table">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Model</th>
          <th scope="col">Seed</th>
          <th scope="col">Epochs (kept)</th>
          <th scope="col">Validation accuracy</th>
          <th scope="col">Test accuracy</th>
          <th scope="col">Status</th>
          <th scope="col">Download</th>
        </tr>
      </thead>
      {[...jobs].reverse().map((job) => {
        const mine = runs
          .filter((r) => r.jobId === job.id)
          .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
        const total = jobRunCount(job);
        const elsewhere = mine.find((r) => r.trainedElsewhere)?.trainedElsewhere;
        // A grid trained elsewhere resumes there (run_job.py again), not in this tab.
        const resumable =
          !training && !elsewhere && ['interrupted', 'stopped', 'failed'].includes(job.status);
        return (
          <tbody key={job.id} data-job={job.id} data-status={job.status}>
            <tr className="job-row">
              <th colSpan={8} scope="rowgroup">
                {total > 1 ? `Grid of ${total} runs` : 'Single run'} ·{' '}
                {new Date(job.createdAt).toLocaleString()} ·{' '}
                <span data-testid="job-status">{job.status}</span>
                {elsewhere && (
                  <span data-testid="job-elsewhere"> · trained elsewhere: {elsewhereLabel(elsewhere)}</span>
                )}
                {job.error && <span className="error-text"> · {job.error}</span>}
                {resumable && (
                  <button type="button" onClick={() => void resume(job.id)}>
                    Resume
                  </button>
                )}
                {live?.jobId !== job.id && (
                  <button type="button" className="quiet" onClick={() => void deleteJob(job.id)}>
                    Delete
                  </button>
                )}
              </th>
            </tr>
            {mine.map((r) => {
              const score = runScore(r);
              return (
                <tr
                  key={r.id}
                  data-run={r.id}
                  data-status={r.status}
                  aria-selected={r.id === selectedRunId}
                  className={r.id === selectedRunId ? 'selected' : ''}
                  onClick={() => selectRun(r.id)}
                >
                  <td>
                    <button type="button" className="link" onClick={() => selectRun(r.id)}>
                      {r.cell + 1}.{r.repeat + 1}
                    </button>
                  </td>
                  <td>{describeModel(r.spec)}</td>
                  <td className="num">{r.settings.seed}</td>
                  <td className="num">
                    {r.epochs.length}
                    {r.bestEpoch >= 0 && ` (${r.bestEpoch + 1})`}
                  </td>
                  <td className="num" data-col="val">
                    {score === null ? '–' : formatPercent(score)}
                  </td>
                  <td className="num" data-col="test">
                    {r.test ? formatPercent(r.test.accuracy) : '–'}
                  </td>
                  <td>
                    {STATUS[r.status]}
                    {r.stoppedEarly && ' (early stop)'}
                    {r.error && <span className="error-text"> · {r.error}</span>}
                    {r.trainedElsewhere && (
                      <span className="hint" title={elsewhereLabel(r.trainedElsewhere)}>
                        {' '}
                        · elsewhere
                      </span>
                    )}
                  </td>
                  <td>{r.status !== 'running' && r.epochs.length > 0 && <Downloads run={r} />}</td>
                </tr>
              );
            })}
          </tbody>
        );
      })}
    </table>
  );
}

import { formatDuration } from '../../core/format';
import { jobSecondsLeft } from '../../core/runs';
import type { LiveRun } from '../../state/store';

/** Where the job is: run, epoch, batch, speed and time left. */
export function TrainProgress({ live }: { live: LiveRun }) {
  const seconds = (live.nowMs - live.startedMs) / 1000;
  const left = jobSecondsLeft({
    batchesDone: live.batchesDone,
    batchesTotal: live.batchesTotal,
    secondsSoFar: seconds,
  });
  const last = live.results.at(-1);
  const fraction = live.batchesTotal ? live.batchesDone / live.batchesTotal : 0;
  return (
    <div className="train-progress" data-testid="train-progress">
      <progress max={1} value={Math.min(1, fraction)} aria-label="Training progress" />
      <p aria-live="polite">
        {live.runs > 1 && (
          <>
            Run {live.index + 1} of {live.runs} ·{' '}
          </>
        )}
        Epoch {Math.min(live.epoch + 1, live.epochs)} of {live.epochs} · batch {live.batch} of{' '}
        {live.batchesPerEpoch}
        {last && <> · {Math.round(last.samplesPerSecond)} samples/s</>} ·{' '}
        {Number.isFinite(left) ? `about ${formatDuration(left)} left` : 'estimating time left…'}
        {live.epochs > 1 && ' (less if early stopping ends runs sooner)'}
      </p>
    </div>
  );
}

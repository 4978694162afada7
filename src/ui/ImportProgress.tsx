import { formatCount, formatDuration } from '../core/format';
import { useLab } from '../state/store';

export function ImportProgress() {
  const { progress, progressLabel, cancelImport } = useLab();
  const done = progress?.done ?? 0;
  const total = progress?.total ?? 0;
  return (
    <section className="import-progress" aria-labelledby="import-title">
      <h2 id="import-title">{progressLabel}</h2>
      <progress max={total || 1} value={done} aria-label="Import progress" />
      <p aria-live="polite" data-testid="import-status">
        {total === 0
          ? 'Reading the folder…'
          : `${formatCount(done)} of ${formatCount(total)} images · ${Math.round(progress?.rate ?? 0)} images/s · ${formatDuration(progress?.remaining ?? NaN)} left`}
      </p>
      <button type="button" onClick={cancelImport}>
        Cancel
      </button>
    </section>
  );
}

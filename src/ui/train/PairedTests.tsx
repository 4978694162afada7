import { EXPLAIN } from '../../core/explain';
import { pairedGrid, pText } from '../../core/pairedCells';
import type { GridResult, JobRecord, RunRecord } from '../../core/runs';

/**
 * The best cell against each runner-up, seed by seed (paired t-test, p in words), and the repeats the best two
 * would need to be told apart. Loaded on its own: the t distributions (@stdlib) stay out of the first load.
 */
export function PairedTests({
  job,
  runs,
  result,
}: {
  job: JobRecord;
  runs: RunRecord[];
  result: GridResult;
}) {
  const g = pairedGrid(job, runs, result);
  if (!g.comparisons.length) return null;
  return (
    <div className="paired-tests" data-testid="paired-tests">
      <h4>Seed by seed</h4>
      <ul>
        {g.comparisons.map((c) => (
          <li
            key={c.other.cell}
            data-testid="paired-test"
            data-cell={c.other.label}
            data-n={c.n}
            data-p={Number.isFinite(c.p) ? c.p.toFixed(4) : ''}
            title={`t = ${Number.isFinite(c.t) ? c.t.toFixed(2) : '–'}, ${pText(c.p)}`}
          >
            {c.words}
          </li>
        ))}
      </ul>
      {g.repeats && (
        <p data-testid="repeats-estimate" data-needed={g.repeats.needed ?? ''}>
          {g.repeats.words}
        </p>
      )}
      <details>
        <summary>What these tests say</summary>
        <p>{EXPLAIN.pairedTest}</p>
        <p>{EXPLAIN.repeats}</p>
      </details>
    </div>
  );
}

import { lazy, Suspense } from 'react';
import * as tfvis from '@tensorflow/tfjs-vis';
import { formatPercent } from '../../core/format';
import type { Grid } from '../../core/models';
import { gridResult, jobCells, type GridResult, type JobRecord, type RunRecord } from '../../core/runs';
import { useVisChart } from './useVis';

// The paired tests pull in @stdlib's t distributions: loaded when a grid first has results to compare.
const PairedTests = lazy(() => import('./PairedTests').then((m) => ({ default: m.PairedTests })));

/** Mean validation accuracy over the first two varied hyperparameters, as a heatmap. */
function GridHeatmap({ job, result }: { job: JobRecord; result: GridResult }) {
  const keys = (Object.keys(job.grid) as (keyof Grid)[]).filter((k) => (job.grid[k]?.length ?? 0) > 1);
  const [kx, ky] = keys as [keyof Grid, keyof Grid];
  const xs = job.grid[kx] ?? [];
  const ys = job.grid[ky] ?? [];
  const values = xs.map((x) =>
    ys.map((y) => {
      const rows = result.rows.filter((r) => r.spec[kx] === x && r.spec[ky] === y && r.summary.n);
      return rows.length ? Math.max(...rows.map((r) => r.summary.mean)) : 0;
    }),
  );
  const ref = useVisChart(
    (el) =>
      tfvis.render.heatmap(
        el,
        { values, xTickLabels: xs.map(String), yTickLabels: ys.map(String) },
        { xLabel: kx, yLabel: ky, colorMap: 'blues', height: 240, width: 320, fontSize: 11 },
      ),
    [values.flat().join(',')],
    0,
  );
  return (
    <div
      ref={ref}
      className="chart"
      role="img"
      aria-label={`Mean validation accuracy by ${kx} and ${ky}${keys.length > 2 ? ' (best over the other settings)' : ''}`}
    />
  );
}

/**
 * A grid's cells sorted by mean validation accuracy, with sd and 95% interval, the best cell, the noise warning,
 * and the paired tests of the best cell against the others.
 */
export function GridResults({ job, runs }: { job: JobRecord; runs: RunRecord[] }) {
  const result = gridResult(job, runs);
  const varied = (Object.keys(job.grid) as (keyof Grid)[]).filter((k) => (job.grid[k]?.length ?? 0) > 1);
  const done = result.rows.filter((r) => r.summary.n > 0).length;
  return (
    <section
      className="grid-results"
      data-testid="grid-results"
      aria-label={`Grid results of ${job.taskName}`}
    >
      <h3>
        Grid: {jobCells(job).length} cells × {job.repeats} runs ({done} cells with results)
      </h3>
      {result.best && (
        <p data-testid="grid-best">
          Best cell: <strong>{result.best.label}</strong>, mean validation accuracy{' '}
          {formatPercent(result.best.summary.mean)} over {result.best.summary.n} run
          {result.best.summary.n === 1 ? '' : 's'}.
        </p>
      )}
      {result.noise && (
        <p className="warning" role="status" data-testid="grid-noise">
          {result.noise}
        </p>
      )}
      {varied.length >= 2 && done > 0 && <GridHeatmap job={job} result={result} />}
      <table data-testid="grid-table">
        <thead>
          <tr>
            <th scope="col">Cell</th>
            <th scope="col">Runs</th>
            <th scope="col">Mean validation accuracy</th>
            <th scope="col">SD</th>
            <th scope="col">95% interval</th>
          </tr>
        </thead>
        <tbody>
          {result.rows.map((r) => (
            <tr
              key={r.cell}
              className={r === result.best ? 'best' : ''}
              data-cell={r.label}
              data-n={r.summary.n}
            >
              <td>{r.label}</td>
              <td className="num">{r.summary.n}</td>
              <td className="num" data-col="mean">
                {r.summary.n ? formatPercent(r.summary.mean) : '–'}
              </td>
              <td className="num">{r.summary.n > 1 ? formatPercent(r.summary.sd) : '–'}</td>
              <td className="num">
                {r.summary.n > 1 ? `${formatPercent(r.summary.low)} – ${formatPercent(r.summary.high)}` : '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {done >= 2 && (
        <Suspense fallback={<p className="hint">Loading the paired tests…</p>}>
          <PairedTests job={job} runs={runs} result={result} />
        </Suspense>
      )}
    </section>
  );
}

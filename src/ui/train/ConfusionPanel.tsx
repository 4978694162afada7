import { useState } from 'react';
import * as tfvis from '@tensorflow/tfjs-vis';
import { confusionCsv, confusionPictureSize, drawConfusion, type DrawCtx } from '../../core/results';
import { fileSafe, saveBlob } from '../download';
import { CellExamples, type Examples } from './CellExamples';
import { accuracyOf, perClassScores, rowNormalised } from '../../core/metrics';
import { formatPercent } from '../../core/format';
import { useVisChart } from './useVis';

/** The width a matrix of `classes` classes is drawn at when there is room: a grid of panels wraps below it. */
export const matrixWidth = (classes: number) => Math.min(560, Math.max(260, 60 + classes * 48));

/**
 * A confusion matrix as the study logged it (rows = true class, row-normalised to 2 decimals), the counts in a
 * table, and per-class precision, recall and F1.
 */
export function ConfusionPanel({
  title,
  matrix,
  classes,
  testId,
  examples,
  fileName,
  runId,
}: {
  title: string;
  matrix: number[][];
  classes: string[];
  testId: string;
  /** Per-image predictions behind the matrix: cells become clickable. */
  examples?: Examples;
  fileName: string;
  /** The run whose saved model explains a cell's images (saliency maps). */
  runId?: string;
}) {
  const [cell, setCell] = useState<[number, number] | null>(null);
  const png = async () => {
    const { width, height } = confusionPictureSize(classes.length);
    const canvas = new OffscreenCanvas(width, height);
    drawConfusion(canvas.getContext('2d')! as unknown as DrawCtx, matrix, classes, title);
    saveBlob(await canvas.convertToBlob({ type: 'image/png' }), `${fileSafe(fileName)}.png`);
  };
  const ref = useVisChart(
    (el) =>
      tfvis.render.confusionMatrix(
        el,
        { values: rowNormalised(matrix), tickLabels: classes },
        {
          shadeDiagonal: true,
          showTextOverlay: true,
          width: Math.min(matrixWidth(classes.length), el.clientWidth || Infinity),
          height: Math.min(560, Math.max(220, 40 + classes.length * 40)),
          fontSize: 11,
        },
      ),
    [matrix, classes],
    0,
  );
  const scores = perClassScores(matrix);
  return (
    <figure className="confusion" data-testid={testId} data-accuracy={accuracyOf(matrix).toFixed(4)}>
      <figcaption>
        {title}: accuracy {formatPercent(accuracyOf(matrix))} (rows = true class, columns = predicted; shares
        per row; a cell names its classes in full when pointed at)
      </figcaption>
      <div ref={ref} className="chart" role="img" aria-label={`${title}, row-normalised`} />
      <details>
        <summary>Counts and per-class scores</summary>
        <table className="counts" data-testid={`${testId}-counts`}>
          <thead>
            <tr>
              <th scope="col">True \ predicted</th>
              {classes.map((c, j) => (
                <th key={j} scope="col" className="class-name" title={c}>
                  {c}
                </th>
              ))}
              <th scope="col">Precision</th>
              <th scope="col">Recall</th>
              <th scope="col">F1</th>
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, i) => (
              <tr key={i} data-class={classes[i]}>
                <th scope="row">{classes[i]}</th>
                {row.map((v, j) => (
                  <td key={j} className={i === j ? 'diag' : v ? 'off' : ''}>
                    {examples && v > 0 ? (
                      <button
                        type="button"
                        className="link"
                        aria-label={`${v} images of ${classes[i]} predicted as ${classes[j]}`}
                        onClick={() => setCell([i, j])}
                      >
                        {v}
                      </button>
                    ) : (
                      v
                    )}
                  </td>
                ))}
                <td data-col="precision">{scores[i]!.precision.toFixed(2)}</td>
                <td data-col="recall">{scores[i]!.recall.toFixed(2)}</td>
                <td data-col="f1">{scores[i]!.f1.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <div className="buttons small">
        <button
          type="button"
          onClick={() =>
            saveBlob(
              new Blob([confusionCsv(matrix, classes)], { type: 'text/csv' }),
              `${fileSafe(fileName)}.csv`,
            )
          }
        >
          CSV
        </button>
        <button type="button" onClick={() => void png()}>
          PNG
        </button>
      </div>
      {examples && cell && (
        <CellExamples examples={examples} row={cell[0]} col={cell[1]} classes={classes} runId={runId} />
      )}
    </figure>
  );
}

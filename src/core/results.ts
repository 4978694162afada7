/** Results as files: a run's metrics (JSON, CSV), a confusion matrix (CSV, and drawn for a PNG). */
import type { ModelMetadata } from './modelFiles';
import { INPUT_SHAPE } from './modelFiles';
import { perClassScores, rowNormalised } from './metrics';
import { runScore, type RunRecord } from './runs';
import type { ResizePolicy } from './image';

const csvCell = (v: unknown) => {
  const s = String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const csv = (rows: unknown[][]) => rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';

export function runCsv(run: RunRecord): string {
  return csv([
    ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds', 'samples_per_second', 'kept'],
    ...run.epochs.map((e) => [
      e.epoch + 1,
      e.loss,
      e.accuracy,
      e.valLoss,
      e.valAccuracy,
      e.seconds.toFixed(2),
      e.samplesPerSecond.toFixed(1),
      e.epoch === run.bestEpoch ? 'yes' : '',
    ]),
  ]);
}

export function runJson(run: RunRecord) {
  const { test, ...rest } = run;
  return {
    ...rest,
    validationAccuracy: runScore(run),
    test: test && { loss: test.loss, accuracy: test.accuracy, confusion: test.confusion },
  };
}

export function confusionCsv(matrix: number[][], classes: string[]): string {
  const scores = perClassScores(matrix);
  return csv([
    ['true \\ predicted', ...classes, 'precision', 'recall', 'f1', 'support'],
    ...matrix.map((row, i) => [
      classes[i],
      ...row,
      scores[i]!.precision.toFixed(4),
      scores[i]!.recall.toFixed(4),
      scores[i]!.f1.toFixed(4),
      scores[i]!.support,
    ]),
  ]);
}

export function modelMetadata(
  run: RunRecord,
  task: { id: string; name: string; outputs: string[][] },
  datasetClasses: string[][],
  resize: ResizePolicy,
  tfjsVersion: string,
  now = new Date(),
): ModelMetadata {
  return {
    format: 'fashion-cnn-lab/model',
    version: 1,
    task: { id: task.id, name: task.name },
    classes: task.outputs.map((o) => o.at(-1)!),
    labelPaths: task.outputs,
    datasetClasses,
    inputShape: INPUT_SHAPE,
    preprocessing: {
      scale: 'pixel / 255 (float32 in [0, 1])',
      resize,
      background: 'white (letterbox padding and transparency)',
      channels: 'RGB, height × width × channels = 120 × 90 × 3',
    },
    model: run.spec,
    training: run.settings,
    metrics: {
      validationAccuracy: runScore(run),
      testAccuracy: run.test?.accuracy ?? null,
      epochs: run.epochs.length,
      bestEpoch: run.bestEpoch + 1,
    },
    tfjsVersion,
    backend: run.backend,
    exportedAt: now.toISOString(),
  };
}

/** What a confusion-matrix picture needs from a 2D canvas (a browser canvas or @napi-rs/canvas). */
export interface DrawCtx {
  fillStyle: string | object;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(a: number): void;
}

/** Size of the confusion-matrix picture for n classes. */
export const confusionPictureSize = (n: number) => {
  const cell = n > 8 ? 40 : 56;
  return { width: 190 + n * cell + 20, height: 60 + n * cell + 170, cell };
};

/** Draws a confusion matrix as the study logged it: row-normalised shares, rows = true, columns = predicted. */
export function drawConfusion(ctx: DrawCtx, matrix: number[][], classes: string[], title: string) {
  const n = classes.length;
  const { width, height, cell } = confusionPictureSize(n);
  const left = 190;
  const top = 60;
  const norm = rowNormalised(matrix);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#1d2330';
  ctx.font = '15px sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 10, 22);
  ctx.font = '12px sans-serif';
  for (let i = 0; i < n; i++) {
    ctx.textAlign = 'right';
    ctx.fillStyle = '#1d2330';
    ctx.fillText(classes[i]!.slice(0, 28), left - 8, top + i * cell + cell / 2);
    for (let j = 0; j < n; j++) {
      const v = norm[i]![j]!;
      const shade = Math.round(255 - v * 200);
      ctx.fillStyle = `rgb(${shade}, ${Math.round(255 - v * 150)}, 255)`;
      ctx.fillRect(left + j * cell, top + i * cell, cell - 1, cell - 1);
      ctx.fillStyle = v > 0.55 ? '#ffffff' : '#1d2330';
      ctx.textAlign = 'center';
      ctx.fillText(v.toFixed(2), left + j * cell + cell / 2, top + i * cell + cell / 2);
    }
  }
  ctx.fillStyle = '#1d2330';
  for (let j = 0; j < n; j++) {
    ctx.save();
    ctx.translate(left + j * cell + cell / 2, top + n * cell + 8);
    ctx.rotate(Math.PI / 3);
    ctx.textAlign = 'left';
    ctx.fillText(classes[j]!.slice(0, 28), 0, 0);
    ctx.restore();
  }
  ctx.textAlign = 'left';
  ctx.fillText('rows: true class · columns: predicted · shares per row', 10, height - 14);
}

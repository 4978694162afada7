/**
 * The same cell trained on both sides: six seeds of one small model in PyTorch (cluster/run_job.py) and six in the
 * lab (tfjs, WASM) on the same data reach the same test accuracy within the spread of their seeds. The data has a
 * fifth of its images drawn as the other class, so no run gets every image and the runs can differ.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClusterResults } from '../../src/core/clusterResults';
import { layersOf, type ModelSpec } from '../../src/core/models';
import { taskSplits } from '../../src/core/taskData';
import { clusterDataset, clusterJobFixture } from '../../src/core/testing/clusterFixture';
import { buildModel } from '../../src/ml/model';
import { evaluate, trainModel, withFlips } from '../../src/ml/train';
import { registerWasmTrainingKernels } from '../../src/ml/wasm/register';
import { torchPython } from './torchPython';

const { python, reason } = torchPython();
const root = join(import.meta.dirname, '..', '..');
let dir = '';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe.skipIf(!python)(`one cell in the lab and in PyTorch${python ? '' : ` (skipped: ${reason})`}`, () => {
  it('reaches the same test accuracy within the spread of its seeds', async () => {
    const spec: ModelSpec = { family: 'model2', filters: 4, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
    const dataset = clusterDataset([30, 15, 15], 0.2);
    const fixture = clusterJobFixture({ spec, epochs: 6, repeats: 6, flip: false, dataset });
    dir = mkdtempSync(join(tmpdir(), 'lab-accuracy-'));
    for (const [name, bytes] of Object.entries(fixture.files)) writeFileSync(join(dir, name), bytes);
    execFileSync(python!, [join(root, 'cluster/run_job.py'), dir, '--workers', '2'], { stdio: 'ignore' });
    const { runs } = await readClusterResults(readFileSync(join(dir, 'results.zip')));
    expect(runs.map((r) => r.settings.seed)).toEqual([3, 4, 5, 6, 7, 8]);
    const pytorch = runs.map((r) => r.test!.accuracy);

    const n = dataset.labels.length;
    const splits = taskSplits(dataset.labels, dataset.split, fixture.task.targetOf);
    const [train, validation, test] = [splits.train, splits.validation, splits.test].map((s) =>
      withFlips(s, false, n),
    );
    const source = { image: dataset.image };
    const lab: number[] = [];
    for (const run of runs) {
      const model = buildModel(layersOf(spec, 2), run.settings.seed);
      await trainModel(model, source, train!, validation!, 2, run.settings);
      lab.push((await evaluate(model, source, test!, 2, 32)).accuracy);
      model.dispose();
    }

    // Both learn: better than the chance of two classes on average.
    expect(mean(pytorch)).toBeGreaterThan(0.7);
    expect(mean(lab)).toBeGreaterThan(0.7);
    // The means differ by less than twice their standard error, with one test image's worth of slack.
    const se = Math.sqrt(variance(pytorch) / pytorch.length + variance(lab) / lab.length);
    const oneImage = 1 / test!.items.length;
    expect(Math.abs(mean(lab) - mean(pytorch)), `lab ${lab} against PyTorch ${pytorch}`).toBeLessThanOrEqual(
      2 * se + oneImage,
    );
  }, 300_000);
});

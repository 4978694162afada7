/**
 * The same model on both sides: one small cell trained in PyTorch by cluster/run_job.py, read back with the lab's
 * results reader and loaded by tfjs (CPU backend) from its model.json + weights.bin gives the same test logits.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClusterResultsWithModels as readClusterResults } from '../../src/core/clusterResults';
import { IMAGE_BYTES } from '../../src/core/image';
import { layersOf, type ModelSpec } from '../../src/core/models';
import { clusterJobFixture } from '../../src/core/testing/clusterFixture';
import { taskSplits } from '../../src/core/taskData';
import { epochOrder, withFlips } from '../../src/ml/splits';
import { trainModel } from '../../src/ml/train';
import { fillBatch } from '../../src/ml/batches';
import { torchPython } from './torchPython';

const { python, reason } = torchPython();
const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];

beforeAll(() => tf.setBackend('cpu'));
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Trains the fixture's job in PyTorch; returns the results as the lab reads them and the runner's test logits. */
async function trainInPytorch(spec: ModelSpec, ...flags: string[]) {
  const fixture = clusterJobFixture({ spec, epochs: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'lab-cluster-'));
  dirs.push(dir);
  for (const [name, bytes] of Object.entries(fixture.files)) writeFileSync(join(dir, name), bytes);
  execFileSync(
    python!,
    [join(root, 'cluster/run_job.py'), dir, '--workers', '1', '--keep-logits', ...flags],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const results = await readClusterResults(readFileSync(join(dir, 'results.zip')));
  const logits = JSON.parse(readFileSync(join(dir, 'runs/testjob-0/test-logits.json'), 'utf8')) as number[][];
  return { fixture, results, logits, dir };
}

describe.skipIf(!python)(`PyTorch weights in the lab${python ? '' : ` (skipped: ${reason})`}`, () => {
  it("shuffles each epoch's batches exactly as the lab does", () => {
    const out = execFileSync(python!, [join(root, 'cluster/lab_train.py'), '--epoch-order', '50', '3', '1']);
    expect(JSON.parse(out.toString())).toEqual(epochOrder(50, 3, 1));
    const big = execFileSync(python!, [
      join(root, 'cluster/lab_train.py'),
      '--epoch-order',
      '1000',
      '987654',
      '7',
    ]);
    expect(JSON.parse(big.toString())).toEqual(epochOrder(1000, 987654, 7));
  });

  for (const spec of [
    { family: 'dropout', filters: 4, kernel1: 3, kernel2: 5, dense: 8, dropout: 0.25 },
    { family: 'model1', filters: 3, kernel1: 5, kernel2: 3, dense: 0, dropout: 0 },
  ] satisfies ModelSpec[]) {
    it(`${spec.family}: tfjs gives PyTorch's logits on every test image, mirrors included`, async () => {
      const { fixture, results, logits } = await trainInPytorch(spec);
      const [run] = results.runs;
      expect(results.runs).toHaveLength(1);
      expect(run!.trainedElsewhere.framework).toMatch(/^PyTorch 1\./);
      expect(run!.spec).toEqual(spec);
      const stored = results.models.get(run!.id)!;
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: stored.modelTopology as tf.io.ModelJSON['modelTopology'],
          weightSpecs: stored.weightSpecs,
          weightData: stored.weightData,
        }),
      );
      expect(model.layers.map((l) => l.getClassName())).toEqual(
        layersOf(spec, 2).map(
          (l) =>
            ({
              conv2d: 'Conv2D',
              maxPool: 'MaxPooling2D',
              flatten: 'Flatten',
              dense: 'Dense',
              dropout: 'Dropout',
            })[l.type],
        ),
      );
      // The test split as the runner saw it: the images, then their mirrors (item + dataset size).
      const items = run!.test!.items;
      expect(items).toEqual([...range(32, 40), ...range(72, 80)]);
      const n = fixture.dataset.labels.length;
      const source = { image: (i: number) => fixture.dataset.image(i) };
      const pixels = fillBatch(source, items, n, new Float32Array(items.length * IMAGE_BYTES));
      const x = tf.tensor4d(pixels, [items.length, 120, 90, 3]);
      const got = (model.predict(x) as tf.Tensor2D).arraySync();
      let maxDiff = 0;
      got.forEach((row, i) =>
        row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - logits[i]![j]!)))),
      );
      expect(maxDiff).toBeLessThan(1e-4);
      const predicted = got.map((row) => row.indexOf(Math.max(...row)));
      expect(predicted).toEqual(run!.test!.predictions);
      x.dispose();
      model.dispose();
    }, 180_000);
  }

  it("from the same initial weights, the lab's training loop gives PyTorch's losses epoch by epoch", async () => {
    const spec: ModelSpec = { family: 'model2', filters: 4, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
    const { fixture, results, dir } = await trainInPytorch(spec, '--keep-initial');
    const [run] = results.runs;
    const model = await tf.loadLayersModel(
      tf.io.fromMemory(
        JSON.parse(readFileSync(join(dir, 'runs/testjob-0/initial-model.json'), 'utf8')).modelTopology,
        JSON.parse(readFileSync(join(dir, 'runs/testjob-0/initial-model.json'), 'utf8')).weightsManifest[0]
          .weights,
        new Uint8Array(readFileSync(join(dir, 'runs/testjob-0/initial-weights.bin'))).buffer,
      ),
    );
    const { dataset, task } = fixture;
    const n = dataset.labels.length;
    const splits = taskSplits(dataset.labels, dataset.split, task.targetOf);
    const lab = await trainModel(
      model,
      { image: dataset.image },
      withFlips(splits.train, true, n),
      withFlips(splits.validation, true, n),
      2,
      run!.settings,
    );
    expect(lab.epochs).toHaveLength(run!.epochs.length);
    lab.epochs.forEach((e, i) => {
      const py = run!.epochs[i]!;
      expect(Math.abs(e.loss - py.loss), `epoch ${i + 1} loss`).toBeLessThan(1e-4);
      expect(Math.abs(e.valLoss - py.valLoss), `epoch ${i + 1} validation loss`).toBeLessThan(1e-4);
    });
    expect(lab.bestEpoch).toBe(run!.bestEpoch);
    model.dispose();
  }, 180_000);
});

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

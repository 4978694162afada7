/**
 * npm run calibrate-demo -- [--per-class N] [--seed S] [--tasks NAME,NAME] [--out FILE]
 * Trains the study's default model for each task on the demo catalog with the lab's own code (WASM backend,
 * in Node) and prints validation and test accuracy next to the study's reported figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { compareLabels, labelKey } from '../src/core/labels';
import { describeModel, layersOf, STUDY_TRAINING } from '../src/core/models';
import { DEFAULT_SPLIT, stratifiedSplit, TEST, TRAIN, VALIDATION } from '../src/core/split';
import { deriveTasks, type Task } from '../src/core/tasks';
import { demoFiles } from '../src/demo/catalog';
import { DEMO_CLASSES } from '../src/demo/taxonomy';
import { buildModel } from '../src/ml/model';
import { evaluate, trainModel, withFlips, type SplitData } from '../src/ml/train';
import { registerWasmTrainingKernels } from '../src/ml/wasm/register';
import { demoPixels } from './demo/pixels';
import { scriptFlags } from './args';

/** The study's reported test accuracy per task (SEED_STUDY.md), by the lab's task name. */
const STUDY: Record<string, number> = {
  Primary: 0.9988,
  'Glasses & Sunglasses': 0.948,
  'Trousers & Jeans — all 4': 0.74,
  'Trousers & Jeans — Female / Male': 0.876,
  'Trousers & Jeans — Male types': 0.868,
  'Trousers & Jeans — Female types': 0.832,
  'Shoes — all 11': 0.7173,
  'Shoes — Female / Male': 0.876,
  'Shoes — Male types': 0.8687,
  'Shoes — Female types': 0.8194,
};

const flags = scriptFlags(
  'usage: npm run calibrate-demo -- [--per-class N] [--seed S] [--tasks NAME,NAME] [--out FILE]',
  {
    'per-class': { type: 'string' },
    seed: { type: 'string' },
    tasks: { type: 'string', default: '' },
    out: { type: 'string', default: 'bench-results/demo-calibration.json' },
  },
);
const perClass = flags.number('per-class', 100, true);
const seed = flags.number('seed', 1, true);
const only = flags.values.tasks
  .split(',')
  .map((t) => t.trim().toLowerCase())
  .filter(Boolean);
const out = resolve(flags.values.out);

async function main() {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  const classes = DEMO_CLASSES.map((c) => c.path).sort(compareLabels);
  const classOf = new Map(classes.map((c, i) => [labelKey(c), i]));
  const files = demoFiles(perClass);
  const t0 = performance.now();
  const images: Uint8Array[] = [];
  for (const f of files) images.push(await demoPixels(f.classIndex, f.item, seed));
  console.log(`Rendered ${files.length} demo images in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const labels = files.map((f) => classOf.get(labelKey(DEMO_CLASSES[f.classIndex]!.path))!);
  const paths = files.map((f) => f.path);
  const split = stratifiedSplit(labels, paths, paths, DEFAULT_SPLIT);
  const source = { image: (i: number) => images[i]! };

  const tasks = deriveTasks(classes).filter((t) => only.length === 0 || only.includes(t.name.toLowerCase()));
  const results = [];
  for (const task of tasks) results.push(await runTask(task, labels, split, source, images.length));
  const report = {
    demo: { perClass, seed, images: files.length, split: DEFAULT_SPLIT },
    backend: tf.getBackend(),
    results,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2));
  console.log(`\nWrote ${out}`);
}

async function runTask(
  task: Task,
  labels: number[],
  split: Uint8Array,
  source: { image(i: number): Uint8Array },
  n: number,
) {
  const part = (which: number): SplitData => {
    const items: number[] = [];
    labels.forEach((c, i) => split[i] === which && task.targetOf[c]! >= 0 && items.push(i));
    return {
      items: Int32Array.from(items),
      labels: Int32Array.from(items, (i) => task.targetOf[labels[i]!]!),
    };
  };
  // The study trained Shoes All with horizontally flipped copies appended to every split.
  const flip = task.name.startsWith('Shoes — all');
  const [train, validation, test] = [TRAIN, VALIDATION, TEST].map((s) => withFlips(part(s), flip, n)) as [
    SplitData,
    SplitData,
    SplitData,
  ];
  const spec = task.defaults.spec;
  const model = buildModel(layersOf(spec, task.outputs.length), seed);
  const t0 = performance.now();
  const run = await trainModel(model, source, train, validation, task.outputs.length, {
    ...STUDY_TRAINING,
    epochs: task.defaults.epochs,
    flip,
    seed,
  });
  const testEval = await evaluate(model, source, test, task.outputs.length, 64);
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  const best = run.epochs[run.bestEpoch]!;
  const line = {
    task: task.name,
    model: describeModel(spec),
    flip,
    trainImages: train.items.length,
    epochsRun: run.epochs.length,
    bestEpoch: run.bestEpoch + 1,
    valAccuracy: best.valAccuracy,
    testAccuracy: testEval.accuracy,
    studyTestAccuracy: STUDY[task.name] ?? null,
    testConfusion: testEval.confusion,
    classes: task.outputs.map((o) => o.slice(1).join(' / ') || o[0]),
    seconds,
    samplesPerSecond: run.epochs.reduce((s, e) => s + e.samplesPerSecond, 0) / run.epochs.length,
  };
  console.log(
    `${task.name.padEnd(34)} test ${(line.testAccuracy * 100).toFixed(1).padStart(5)}%  val ${(line.valAccuracy * 100).toFixed(1).padStart(5)}%` +
      `  study ${line.studyTestAccuracy === null ? '   –' : (line.studyTestAccuracy * 100).toFixed(1)}%  epochs ${line.epochsRun} (best ${line.bestEpoch})` +
      `  ${line.samplesPerSecond.toFixed(0)} samples/s  ${seconds.toFixed(0)} s`,
  );
  return line;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

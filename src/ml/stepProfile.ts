/** Where one training step's time goes, per kernel (tf.profile): for bench:train --profile, bench:gpu, dev scripts. */
import * as tf from '@tensorflow/tfjs';
import { applyForTraining } from './trainingForward';
import { layersOf, type ModelSpec } from '../core/models';
import { buildModel } from './model';
import { createTrainingAdam } from './wasm/adam';

export interface KernelShare {
  kernel: string;
  /** Milliseconds, to 0.01 (a hardware GPU's kernels take well under one). */
  ms: number;
  /** Of the step's kernel time, 0–1. */
  share: number;
}

export interface StepProfile {
  /** The sum of the kernels' times (tf.profile); under load on 2 threads it can exceed `wallMs`. */
  stepMs: number;
  /** The step's wall time unprofiled (median of 3): what the kernels' sum leaves out is tfjs' bookkeeping. */
  wallMs: number;
  kernels: KernelShare[];
}

const hundredths = (ms: number) => Math.round(ms * 100) / 100;

/** Profiles a step of `batchSize` (after one unprofiled step) on the current backend; the `top` costliest kernels. */
export async function profileStep(
  spec: ModelSpec,
  classes: number,
  top = 16,
  batchSize = 64,
): Promise<StepProfile> {
  const model = buildModel(layersOf(spec, classes), 1);
  // On WASM the lab's fused Adam, as a run gets it; elsewhere tfjs' (bench:gpu times the WebGPU one in its runs).
  const optimizer = tf.getBackend() === 'wasm' ? createTrainingAdam(0.001) : tf.train.adam(0.001);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.randomUniform([batchSize, 120, 90, 3]);
  const y = tf.tidy(() =>
    tf.oneHot(
      tf.tensor1d(
        Array.from({ length: batchSize }, (_, i) => i % classes),
        'int32',
      ),
      classes,
    ),
  );
  const step = () =>
    optimizer
      .minimize(() => tf.losses.softmaxCrossEntropy(y, applyForTraining(model, x)) as tf.Scalar, false, vars)
      ?.dispose();
  try {
    step();
    const walls = [0, 1, 2].map(() => {
      const t = performance.now();
      step();
      return performance.now() - t;
    });
    const info = await tf.profile(step);
    const byKernel = new Map<string, number>();
    for (const k of info.kernels)
      byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const stepMs = [...byKernel.values()].reduce((a, b) => a + b, 0);
    const kernels = [...byKernel]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([kernel, ms]) => ({
        kernel,
        ms: hundredths(ms),
        share: Math.round((ms / stepMs) * 1000) / 1000,
      }));
    const wallMs = hundredths(walls.sort((a, b) => a - b)[1]!);
    return { stepMs: hundredths(stepMs), wallMs, kernels };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

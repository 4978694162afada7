/** A run's state to resume from: the weights, Adam's moments and the best weights, as plain arrays and back. */
import * as tf from '@tensorflow/tfjs';
import type { SavedTensor, TrainCheckpoint } from '../core/checkpoint';

export async function saveTensors(tensors: tf.Tensor[], names?: string[]): Promise<SavedTensor[]> {
  return Promise.all(
    tensors.map(async (t, i) => ({
      name: names?.[i] ?? String(i),
      shape: t.shape.slice(),
      dtype: t.dtype === 'int32' ? ('int32' as const) : ('float32' as const),
      data: (await t.data()) as Float32Array | Int32Array,
    })),
  );
}

export const restoreTensors = (saved: SavedTensor[]): tf.Tensor[] =>
  saved.map((s) => tf.tensor(s.data, s.shape, s.dtype));

/** Puts a checkpoint's weights and moments back; returns a copy of its best weights (null before any epoch). */
export async function restoreCheckpoint(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  resume: TrainCheckpoint,
): Promise<tf.Tensor[] | null> {
  const weights = restoreTensors(resume.weights);
  model.setWeights(weights);
  tf.dispose(weights);
  let best = resume.bestWeights ? restoreTensors(resume.bestWeights) : null;
  // Saved without best weights when the last epoch was the best: the weights just restored are those.
  if (!best && resume.bestEpoch >= 0) best = model.getWeights().map((w) => w.clone());
  if (resume.optimizer.length) {
    // Adam copies these into variables of its own.
    const opt = restoreTensors(resume.optimizer);
    await optimizer.setWeights(opt.map((tensor, i) => ({ name: resume.optimizer[i]!.name, tensor })));
    tf.dispose(opt);
  }
  return best;
}

/** What `restoreCheckpoint` needs after `progress`'s epoch; best weights are left out when they are the current ones. */
export async function takeCheckpoint(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  progress: Omit<TrainCheckpoint, 'weights' | 'optimizer' | 'bestWeights'>,
  bestWeights: tf.Tensor[] | null,
): Promise<TrainCheckpoint> {
  const opt = await optimizer.getWeights();
  try {
    const last = progress.epochsDone - 1;
    return {
      ...progress,
      weights: await saveTensors(model.getWeights()),
      optimizer: await saveTensors(
        opt.map((w) => w.tensor),
        opt.map((w) => w.name),
      ),
      bestWeights: progress.bestEpoch === last || !bestWeights ? null : await saveTensors(bestWeights),
    };
  } finally {
    // getWeights hands out Adam's own variables for the moments, but a fresh tensor for the step count.
    tf.dispose(opt.filter((w) => w.name === 'iter').map((w) => w.tensor));
  }
}

import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainingAdam, WasmFusedAdamOptimizer, wasmAdamUpdates } from './adam';
import { registerWasmTrainingKernels } from './register';
import { seeded } from './selfCheck';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** A little conv net with the same weights every time, and a fixed batch. */
function setUp(seed: number) {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [10, 9, 3], filters: 8, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      // 8·7·8 + 1 weights: a size that is not a multiple of four, for the kernel's tail.
      tf.layers.dense({ units: 5 }),
    ],
  });
  const weights = model.getWeights().map((w, i) => tf.tensor(seeded(w.size, seed + i), w.shape));
  model.setWeights(weights);
  tf.dispose(weights);
  const x = tf.tensor4d(seeded(6 * 10 * 9 * 3, 3), [6, 10, 9, 3]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0], 'int32'), 5));
  return { model, x, y };
}

/** Losses of `steps` Adam steps, and the weights after them. */
async function train(optimizer: tf.Optimizer, steps: number) {
  const { model, x, y } = setUp(40);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  const weights = await Promise.all(model.getWeights().map((w) => w.data()));
  tf.dispose([x, y]);
  model.dispose();
  return { losses, weights };
}

const relDiff = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), 1e-12);

describe('Adam fused on WASM', () => {
  it("trains as tfjs' Adam: the same losses to 1e-5 and the same weights, over eight steps", async () => {
    const stock = tf.train.adam(0.01);
    const fused = new WasmFusedAdamOptimizer(0.01);
    const before = wasmAdamUpdates();
    const a = await train(stock, 8);
    const b = await train(fused, 8);
    expect(wasmAdamUpdates() - before).toBe(8 * 4); // every variable of every step went through the kernel
    expect(a.losses[7]).toBeLessThan(a.losses[0]! * 0.9); // it did learn
    a.losses.forEach((l, i) => expect(relDiff(l, b.losses[i]!), `step ${i}`).toBeLessThan(1e-5));
    a.weights.forEach((w, i) => {
      const scale = Math.max(...Array.from(w, Math.abs));
      const worst = Math.max(...Array.from(w, (v, k) => Math.abs(v - b.weights[i]![k]!)));
      expect(worst / scale, `weights ${i}`).toBeLessThan(1e-5);
    });
    stock.dispose();
    fused.dispose();
  });

  it("keeps tfjs' state: moments, names and β powers, so checkpoints move between the two", async () => {
    const fused = new WasmFusedAdamOptimizer(0.01);
    await train(fused, 3);
    const saved = await fused.getWeights();
    const stock = tf.train.adam(0.01);
    await train(stock, 3);
    const expected = await stock.getWeights();
    const names = (ws: { name: string }[]) => ws.map((w) => w.name.replace(/\d+\//g, '/'));
    expect(names(saved)).toEqual(names(expected));
    expect(await saved[0]!.tensor.data()).toEqual(await expected[0]!.tensor.data()); // iterations
    const state = (o: tf.Optimizer) => o as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    expect(await state(fused).accBeta1.data()).toEqual(await state(stock).accBeta1.data());
    expect(await state(fused).accBeta2.data()).toEqual(await state(stock).accBeta2.data());
    // A fused optimizer restored from tfjs' checkpoint carries on as tfjs' does.
    const restored = new WasmFusedAdamOptimizer(0.01);
    await restored.setWeights(expected);
    expect(await state(restored).accBeta1.data()).toEqual(await state(stock).accBeta1.data());
    [fused, stock, restored].forEach((o) => o.dispose());
  });

  it("leaks no tensors (as many as tfjs' Adam holds), and is what a run on WASM gets", async () => {
    const held = async (make: () => tf.Optimizer) => {
      const before = tf.memory().numTensors;
      const optimizer = make();
      await train(optimizer, 3);
      optimizer.dispose();
      return tf.memory().numTensors - before;
    };
    const chosen = createTrainingAdam(0.01);
    expect(chosen).toBeInstanceOf(WasmFusedAdamOptimizer);
    chosen.dispose();
    expect(await held(() => createTrainingAdam(0.01))).toBe(0);
    expect(await held(() => tf.train.adam(0.01))).toBe(0);
  });
});

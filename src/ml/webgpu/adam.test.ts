/**
 * FusedAdam on WebGPU (Dawn, SwiftShader here) against tfjs' own Adam: the CPU backend's values and moments,
 * one dispatch per variable, no leaks, checkpoints that move between the two, clones that keep their values.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relError, seeded } from '../wasm/selfCheck';
import { createAdam, fusedAdamDispatchCount, fusedAdamWork } from './adam';
import { startDawnWebGpu } from './node/dawn';

beforeAll(async () => {
  await startDawnWebGpu({ preferSoftware: true });
}, 60_000);

// The lab's shapes, smaller where it costs nothing; the last is no multiple of four (one element a thread).
const SHAPES = [[3, 3, 3, 32], [32], [3, 3, 32, 32], [4000, 3], [3, 3, 3, 5]];
const LR = 0.01;

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
// Start values small enough that an update shows in float32 far above rounding.
const initial = (i: number) => seeded(size(SHAPES[i]!), 100 + i).map((x) => x * 0.1);
const gradient = (step: number, i: number) => seeded(size(SHAPES[i]!), 1000 + 17 * step + i);

interface Saved {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

interface State {
  values: Float32Array[];
  /** getWeights: iter, then each variable's m, then each v. */
  optimizer: Saved[];
}

const makeVars = (values?: Float32Array[]) =>
  SHAPES.map((s, i) => tf.variable(tf.tensor(values?.[i] ?? initial(i), s), true, `w${i}`));

function step(optimizer: tf.Optimizer, vars: tf.Variable[], s: number) {
  const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(gradient(s, i), v.shape) }));
  optimizer.applyGradients(grads);
  tf.dispose(grads.map((g) => g.tensor));
}

async function save(optimizer: tf.Optimizer, vars: tf.Variable[]): Promise<State> {
  const weights = await optimizer.getWeights();
  const state = {
    values: await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array)),
    optimizer: await Promise.all(
      weights.map(async (w) => ({
        name: w.name,
        shape: w.tensor.shape.slice(),
        dtype: w.tensor.dtype as 'float32' | 'int32',
        data: (await w.tensor.data()) as Float32Array | Int32Array,
      })),
    ),
  };
  weights[0]!.tensor.dispose(); // a fresh scalar; the moments are the optimizer's own
  return state;
}

/** Steps [from, to) on a backend, from the seeded start or from a saved state. */
async function train(
  backend: string,
  make: () => tf.Optimizer,
  from: number,
  to: number,
  start?: State,
): Promise<State> {
  await tf.setBackend(backend);
  const vars = makeVars(start?.values);
  const optimizer = make();
  try {
    if (start) {
      const weights = start.optimizer.map((w) => ({
        name: w.name,
        tensor: tf.tensor(w.data, w.shape, w.dtype),
      }));
      await optimizer.setWeights(weights);
      tf.dispose(weights.map((w) => w.tensor));
    }
    for (let s = from; s < to; s++) step(optimizer, vars, s);
    return await save(optimizer, vars);
  } finally {
    optimizer.dispose();
    tf.dispose(vars);
  }
}

const fused = () => createAdam(LR);
const stock = () => tf.train.adam(LR);

function expectSame(a: State, b: State) {
  expect(b.optimizer.map((w) => w.name)).toEqual(a.optimizer.map((w) => w.name));
  expect(b.optimizer[0]!.data[0]).toBe(a.optimizer[0]!.data[0]);
  a.values.forEach((v, i) => expect(relError(v, b.values[i]!), `w${i}`).toBeLessThan(1e-5));
  a.optimizer
    .slice(1)
    .forEach((w, i) => expect(relError(w.data, b.optimizer[i + 1]!.data), w.name).toBeLessThan(1e-5));
}

describe('FusedAdam on WebGPU', () => {
  it("matches tfjs' Adam on the CPU backend: values, steps and moments", async () => {
    const cpu = await train('cpu', stock, 0, 3);
    const gpu = await train('webgpu', fused, 0, 3);
    expect(gpu.optimizer.map((w) => w.name)).toEqual([
      'iter',
      ...SHAPES.map((_, i) => `w${i}/m`),
      ...SHAPES.map((_, i) => `w${i}/v`),
    ]);
    expect(gpu.optimizer[0]!.data[0]).toBe(3);
    expectSame(cpu, gpu);
    // What the steps moved, apart from where they started: the update itself.
    const starts = SHAPES.map((_, i) => initial(i));
    const moved = (s: State) => s.values.map((v, i) => v.map((x, k) => x - starts[i]![k]!));
    const [a, b] = [moved(cpu), moved(gpu)];
    a.forEach((d, i) => expect(relError(d, b[i]!), `step of w${i}`).toBeLessThan(1e-5));
  });

  it('is one dispatch per variable per step', async () => {
    await tf.setBackend('webgpu');
    const encoder = (globalThis as unknown as { GPUComputePassEncoder: { prototype: GPUComputePassEncoder } })
      .GPUComputePassEncoder.prototype;
    const dispatch = encoder.dispatchWorkgroups;
    let hooked = 0;
    encoder.dispatchWorkgroups = function (this: GPUComputePassEncoder, ...args) {
      hooked++;
      return dispatch.apply(this, args);
    };
    const vars = makeVars();
    const count = async (make: () => tf.Optimizer) => {
      const optimizer = make();
      step(optimizer, vars, 0); // creates the moments (zerosLike)
      const grads = vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(gradient(1, i), v.shape) }));
      await Promise.all(grads.map((g) => g.tensor.data()));
      [hooked, fusedBefore] = [0, fusedAdamDispatchCount()];
      optimizer.applyGradients(grads);
      const counts = { hooked, fused: fusedAdamDispatchCount() - fusedBefore };
      tf.dispose(grads.map((g) => g.tensor));
      optimizer.dispose();
      return counts;
    };
    let fusedBefore = 0;
    try {
      expect(await count(fused)).toEqual({ hooked: SHAPES.length, fused: SHAPES.length });
      const tfjs = await count(stock);
      expect(tfjs.fused).toBe(0);
      expect(tfjs.hooked).toBeGreaterThan(5 * SHAPES.length);
      // As trainModel calls it: minimize with the variables listed.
      const optimizer = fused();
      const before = fusedAdamDispatchCount();
      for (let s = 0; s < 2; s++)
        optimizer.minimize(() => tf.addN(vars.map((v) => v.square().sum())) as tf.Scalar, false, vars);
      expect(fusedAdamDispatchCount() - before).toBe(2 * SHAPES.length);
      optimizer.dispose();
    } finally {
      encoder.dispatchWorkgroups = dispatch;
      tf.dispose(vars);
    }
  });

  it('leaves the number of tensors flat across steps', async () => {
    await tf.setBackend('webgpu');
    const vars = makeVars();
    const optimizer = fused();
    step(optimizer, vars, 0);
    const tensors = tf.memory().numTensors;
    for (let s = 1; s < 4; s++) step(optimizer, vars, s);
    await vars[0]!.data();
    expect(tf.memory().numTensors).toBe(tensors);
    optimizer.dispose();
    tf.dispose(vars);
  });

  it("restores tfjs' Adam checkpoints and writes ones tfjs' Adam restores, training on as one run", async () => {
    const straight = await train('webgpu', fused, 0, 4);
    // tfjs restores β^t with pow on the backend: on the CPU as FusedAdam has it, on WebGPU within a few ulps.
    const fromFused = await train('cpu', stock, 2, 4, await train('webgpu', fused, 0, 2));
    const fromStock = await train('webgpu', fused, 2, 4, await train('webgpu', stock, 0, 2));
    expectSame(straight, fromFused);
    expectSame(straight, fromStock);
    expectSame(await train('cpu', stock, 0, 4), fromStock);
  });

  it('writes new buffers: a clone taken before a step keeps its values', async () => {
    await tf.setBackend('webgpu');
    const vars = makeVars();
    const optimizer = fused();
    step(optimizer, vars, 0);
    const before = await Promise.all(vars.map((v) => v.data()));
    const clones = vars.map((v) => v.clone());
    step(optimizer, vars, 1);
    for (const [i, c] of clones.entries()) {
      expect(await c.data()).toEqual(before[i]);
      expect(relError(before[i]!, await vars[i]!.data())).toBeGreaterThan(1e-3);
    }
    tf.dispose(clones);
    optimizer.dispose();
    tf.dispose(vars);
  });

  it('keeps replaced buffers until the commands that read them are submitted', async () => {
    await tf.setBackend('webgpu');
    const backend = tf.backend() as unknown as {
      tensorDataPendingDisposal: tf.DataId[];
      commandQueueOwnedIds: WeakSet<tf.DataId>;
    };
    const vars = makeVars();
    const optimizer = fused();
    step(optimizer, vars, 0);
    await vars[0]!.data(); // a read submits what is queued
    const old = vars.map((v) => v.dataId);
    step(optimizer, vars, 1); // fewer dispatches than tfjs submits at (15)
    for (const id of old) expect(backend.tensorDataPendingDisposal).toContain(id);
    for (const v of vars) expect(backend.commandQueueOwnedIds.has(v.dataId)).toBe(true);
    await vars[0]!.data();
    expect(backend.tensorDataPendingDisposal).toHaveLength(0);
    optimizer.dispose();
    tf.dispose(vars);
  });

  it('steps the same under tf.time (each dispatch then submitted with its timer)', async () => {
    await tf.setBackend('webgpu');
    const vars = makeVars();
    const optimizer = fused();
    for (let s = 0; s < 2; s++) await tf.time(() => step(optimizer, vars, s));
    const timed = await save(optimizer, vars);
    optimizer.dispose();
    tf.dispose(vars);
    expectSame(await train('webgpu', fused, 0, 2), timed);
  });

  it('reports its work per dispatch', () => {
    expect(fusedAdamWork(12000)).toEqual({ threads: 3000, serialMacsPerThread: 4 });
    expect(fusedAdamWork(135)).toEqual({ threads: 135, serialMacsPerThread: 1 });
  });
});

describe('FusedAdam off WebGPU', () => {
  it("is tfjs' Adam on the CPU backend", async () => {
    const before = fusedAdamDispatchCount();
    const a = await train('cpu', fused, 0, 3);
    expect(fusedAdamDispatchCount()).toBe(before);
    const b = await train('cpu', stock, 0, 3);
    a.values.forEach((v, i) => expect(v).toEqual(b.values[i]));
    a.optimizer.forEach((w, i) => expect(w.data).toEqual(b.optimizer[i]!.data));
  });

  it("carries on from fused steps when the backend changes (tfjs' β powers caught up)", async () => {
    await tf.setBackend('webgpu');
    const vars = makeVars();
    const optimizer = fused();
    for (let s = 0; s < 2; s++) step(optimizer, vars, s);
    await save(optimizer, vars); // the values, read, move to the CPU backend without a synchronous read
    await tf.setBackend('cpu');
    for (let s = 2; s < 4; s++) step(optimizer, vars, s);
    const moved = await save(optimizer, vars);
    optimizer.dispose();
    tf.dispose(vars);
    expectSame(await train('cpu', stock, 0, 4), moved);
  });
});

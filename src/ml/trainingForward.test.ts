import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import { layersOf, type ModelSpec } from '../core/models';
import { buildModel } from './model';
import { applyForTraining } from './trainingForward';
import { relError, seeded } from './wasm/selfCheck';
import { registerWasmTrainingKernels } from './wasm/register';

beforeAll(() => registerWasmTrainingKernels());

const SPECS: Record<string, ModelSpec> = {
  'Model 2 (two conv layers)': { family: 'model2', filters: 8, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 },
  'Model 3 (5x5 and a hidden dense layer)': {
    family: 'model3',
    filters: 8,
    kernel1: 5,
    kernel2: 3,
    dense: 16,
    dropout: 0,
  },
};
const BATCH = 2;
const x = seeded(BATCH * IMAGE_HEIGHT * IMAGE_WIDTH * IMAGE_CHANNELS, 21);
const labels = [0, 2];

interface Step {
  loss: number;
  grads: Float32Array[];
  kernels: string[];
}

/** One training step's loss and gradients (every variable, in the model's order) and the kernels it ran. */
async function step(backend: string, spec: ModelSpec, fused: boolean): Promise<Step> {
  await tf.setBackend(backend);
  const model = buildModel(layersOf(spec, 3), 5);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let out: { value: tf.Scalar; grads: tf.NamedTensorMap } | null = null;
  const profile = await tf.profile(() => {
    out = tf.variableGrads(() => {
      const input = tf.tensor4d(x, [BATCH, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS]);
      const logits = fused
        ? applyForTraining(model, input)
        : (model.apply(input, { training: true }) as tf.Tensor);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 3), logits) as tf.Scalar;
    }, vars);
  });
  const { value, grads } = out!;
  const result = {
    loss: (await value.data())[0]!,
    grads: await Promise.all(vars.map((v) => grads[v.name]!.data() as Promise<Float32Array>)),
    kernels: profile.kernels.map((k) => k.name),
  };
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

function expectSame(a: Step, b: Step) {
  expect(Math.abs(a.loss - b.loss) / Math.abs(a.loss)).toBeLessThan(1e-5);
  expect(b.grads).toHaveLength(a.grads.length);
  a.grads.forEach((g, i) => expect(relError(g, b.grads[i]!)).toBeLessThan(1e-4));
}

describe.each(Object.entries(SPECS))('training through fused conv layers: %s', (_, spec) => {
  it("gives tfjs' loss and gradients on the CPU, through FusedConv2D and no separate ReLU", async () => {
    const stock = await step('cpu', spec, false);
    const fused = await step('cpu', spec, true);
    expectSame(stock, fused);
    expect(stock.kernels).not.toContain('FusedConv2D');
    expect(fused.kernels.filter((k) => k === 'FusedConv2D')).toHaveLength(2);
    // The hidden dense layer (Model 3) keeps its own ReLU; the conv layers have none.
    expect(fused.kernels.filter((k) => k === 'Relu')).toHaveLength(spec.dense ? 1 : 0);
  });

  it('computes no input gradient for the first layer (its input is the images)', async () => {
    const stock = await step('cpu', spec, false);
    const fused = await step('cpu', spec, true);
    const inputGrads = (s: Step) => s.kernels.filter((k) => k === 'Conv2DBackpropInput').length;
    expect(inputGrads(stock)).toBe(1);
    expect(inputGrads(fused)).toBe(1);
  });

  it("on WASM gives the CPU's loss and gradients, with the ReLU and bias gradients in one kernel", async () => {
    const cpu = await step('cpu', spec, false);
    const wasm = await step('wasm', spec, true);
    expectSame(cpu, wasm);
    expect(wasm.kernels).toContain('LabReluBiasGrad');
    // Two Sums fewer than tfjs' layers (the conv layers' bias gradients; the loss and dense layers keep theirs).
    const sums = (st: Step) => st.kernels.filter((k) => k === 'Sum').length;
    expect(sums(cpu) - sums(wasm)).toBe(2);
    expect(wasm.kernels.filter((k) => k === 'Step')).toHaveLength(spec.dense ? 1 : 0);
  });
});

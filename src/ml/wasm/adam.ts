/**
 * Adam on WASM with each variable's update one pass of the lab's SIMD kernel (as/kernels.ts `adamStep`), split
 * over every core: the variable, its gradient and both moments are read once and the three results written once,
 * where tfjs' AdamOptimizer runs about ten element-wise kernels per variable, each streaming the big model's
 * 18.4 million weights through memory again. The numbers are tfjs' (same order of operations, float32 at every
 * step). It plugs in as the WebGPU FusedAdam does (webgpu/adam.ts): tfjs' Adam underneath, whose moments, names
 * and checkpoints it keeps; off WASM (or where a tensor is not float32) a step is tfjs' own.
 */
import * as tf from '@tensorflow/tfjs';
import {
  gradientsOf,
  updateEach,
  type AdamState,
  type NamedTensor,
  type VariableGradients,
} from '../fusedAdamState';
import { createAdam as createWebGpuAdam } from '../webgpu/adam';
import type { Info, WasmHeapBackend } from './kernelUtil';
import { heapAddress, simdKernels } from './simdKernels';
import { poolParts, runPooled, splitRange } from './simdPool';

let steps = 0;

/** Variables updated by the fused WASM kernel in this thread so far (for the tests). */
export const wasmAdamUpdates = (): number => steps;

export class WasmFusedAdamOptimizer extends tf.AdamOptimizer {
  /** β1^t and β2^t for the next step, in float32 as tfjs' accBeta1/accBeta2 hold them. */
  private power1: number;
  private power2: number;

  constructor(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    this.power1 = Math.fround(beta1);
    this.power2 = Math.fround(beta2);
  }

  private get state(): AdamState {
    return this as unknown as AdamState;
  }

  override applyGradients(variableGradients: VariableGradients): void {
    const { names, gradientOf } = gradientsOf(variableGradients);
    const backend = tf.backend() as WasmHeapBackend;
    const fusable =
      tf.getBackend() === 'wasm' &&
      simdKernels(backend) !== null &&
      names.every((name, i) => {
        const value = tf.engine().registeredVariables[name];
        const g = gradientOf(name, i);
        return value?.dtype === 'float32' && (g == null || g.dtype === 'float32');
      });
    if (!fusable) super.applyGradients(variableGradients);
    else {
      // tfjs' scalars: β and 1 − β from JS numbers, 1 − β^t in float32, ε and −lr as float32 scalars.
      const params = [
        this.beta1,
        this.beta2,
        1 - this.beta1,
        1 - this.beta2,
        1 - this.power1,
        1 - this.power2,
        this.epsilon,
        -this.learningRate,
      ].map(Math.fround);
      const scalars = backend.makeOutput([8], 'float32');
      try {
        backend.typedArrayFromHeap(scalars).set(params);
        updateEach(this.state, names, gradientOf, (value, m, v, gradient) =>
          fusedStep(backend, value, m, v, gradient, scalars),
        );
      } finally {
        backend.disposeData(scalars.dataId);
      }
      tf.tidy(() => {
        this.state.accBeta1.assign(tf.scalar(Math.fround(this.power1 * Math.fround(this.beta1))));
        this.state.accBeta2.assign(tf.scalar(Math.fround(this.power2 * Math.fround(this.beta2))));
      });
      this.incrementIterations();
    }
    this.power1 = Math.fround(this.power1 * Math.fround(this.beta1));
    this.power2 = Math.fround(this.power2 * Math.fround(this.beta2));
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(weightValues);
    // As tfjs' setWeights: β^(iterations + 1).
    this.power1 = Math.fround(Math.fround(this.beta1) ** (this.iterations + 1));
    this.power2 = Math.fround(Math.fround(this.beta2) ** (this.iterations + 1));
  }
}

/** New value and moments for one variable (its inputs are not written: tensors are immutable in tfjs). */
function fusedStep(
  backend: WasmHeapBackend,
  value: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  g: tf.Tensor,
  scalars: Info,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const outs = [0, 1, 2].map(() => backend.makeOutput(value.shape, 'float32'));
  const kernels = simdKernels(backend)!;
  const at = (t: Info) => heapAddress(backend, t);
  const n = value.size;
  // Parts of whole vectors (four floats), the last one taking the tail; small variables stay on this thread.
  const parts = splitRange(Math.ceil(n / 4), n >= 1 << 16 ? poolParts(Math.ceil(n / 4)) : 1).map(
    ([start, quads], k, all) => {
      const offset = start * 16;
      const count = k === all.length - 1 ? n - start * 4 : quads * 4;
      return [...[value, m, v, g, ...outs].map((t) => at(t) + offset), count, at(scalars)];
    },
  );
  if (parts.length > 1) runPooled(kernels, 'adamStep', parts);
  else {
    const [a, b, c, d, e, f, h, count, p] = parts[0]!;
    kernels.adamStep(a!, b!, c!, d!, e!, f!, h!, count!, p!);
  }
  steps++;
  const engine = tf.engine();
  return outs.map((o) => engine.makeTensorFromTensorInfo(o)) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/**
 * The lab's Adam for a run on the current backend: fused on WASM here, fused on WebGPU by webgpu/adam.ts, and
 * tfjs' own elsewhere (each of them falls back to tfjs' step off its backend, e.g. after a GPU loss).
 */
export const createTrainingAdam = (learningRate: number): tf.AdamOptimizer =>
  tf.getBackend() === 'wasm' ? new WasmFusedAdamOptimizer(learningRate) : createWebGpuAdam(learningRate);

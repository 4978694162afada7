/**
 * What the lab's fused Adam updates (webgpu/adam.ts, wasm/adam.ts) share: tfjs 4.22's AdamOptimizer state, which
 * they keep so that moments, names and checkpoints stay tfjs' own, and the per-variable loop around a fused step.
 */
import * as tf from '@tensorflow/tfjs';

export type VariableGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
export type NamedTensor = Parameters<tf.AdamOptimizer['setWeights']>[0][number];

/** AdamOptimizer's private state (adam_optimizer.js), which getWeights/setWeights and dispose use. */
export interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/** The variables' names and their gradients, from either form applyGradients takes. */
export function gradientsOf(variableGradients: VariableGradients): {
  names: string[];
  gradientOf: (name: string, i: number) => tf.Tensor | undefined;
} {
  const names = Array.isArray(variableGradients)
    ? variableGradients.map((v) => v.name)
    : Object.keys(variableGradients);
  const gradientOf = (name: string, i: number): tf.Tensor | undefined =>
    Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
  return { names, gradientOf };
}

/** New value and moments for one variable, from its value, moments and gradient. */
export type FusedStep = (
  value: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  gradient: tf.Tensor,
) => [tf.Tensor, tf.Tensor, tf.Tensor];

/** Each variable's update by `step`, its moments made as tfjs makes them (zeros named `<variable>/m`, `/v`). */
export function updateEach(
  state: AdamState,
  names: string[],
  gradientOf: (name: string, i: number) => tf.Tensor | undefined,
  step: FusedStep,
): void {
  const { accumulatedFirstMoment: firsts, accumulatedSecondMoment: seconds } = state;
  names.forEach((name, i) => {
    const value = tf.engine().registeredVariables[name]!;
    firsts[i] ??= {
      originalName: `${name}/m`,
      variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
    };
    seconds[i] ??= {
      originalName: `${name}/v`,
      variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
    };
    const gradient = gradientOf(name, i);
    if (gradient == null || value.size === 0) return;
    const m = firsts[i]!.variable;
    const v = seconds[i]!.variable;
    const [newValue, newM, newV] = step(value, m, v, gradient);
    m.assign(newM);
    v.assign(newV);
    value.assign(newValue);
    tf.dispose([newValue, newM, newV]);
  });
}

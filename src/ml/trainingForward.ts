/**
 * The forward pass the lab trains through: the model's layers in order, as model.apply(x, { training: true }),
 * except that each conv layer with a bias and a ReLU (all of the study's) is one FusedConv2D kernel, whose
 * gradient is registered here. While gradients are recorded, tfjs' own conv layer runs the convolution, the bias
 * add and the ReLU as three kernels (tfjs-core's `shouldFuse`: fused activations only outside gradients), and
 * backward the ReLU's gradient as a Step and a Multiply: each a pass over the biggest tensors of the step, 10–15%
 * of it on WASM. Here the bias and ReLU are applied in the convolution's own store, and the ReLU's and the bias's
 * gradients are one pass (the lab's LabReluBiasGrad kernel on WASM; Step, Multiply and Sum elsewhere).
 *
 * The numbers are tfjs' fused convolution's and its gradient's (tfjs-core ops/fused/conv2d.ts): y = relu(conv + b),
 * dy' = dy · step(y), then the input and filter gradients and the bias gradient (dy' summed). Unlike tfjs' version
 * (a customGrad, which computes every input's gradient), each gradient here is only computed where it is used: the
 * first layer's input gradient is not.
 */
import * as tf from '@tensorflow/tfjs';
import { RELU_BIAS_GRAD } from './wasm/reluBiasGrad';

interface FusedConvAttrs {
  strides: [number, number];
  pad: 'valid' | 'same';
  dataFormat: 'NHWC';
  dilations: [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation: 'relu' | 'linear';
}

let gradientRegistered = false;

/** The gradient at the convolution's output (dy where y > 0, else 0, for a ReLU) and the bias gradient. */
function outputGrads(dy: tf.Tensor, y: tf.Tensor, relu: boolean): [tf.Tensor, tf.Tensor] {
  if (relu && tf.getKernel(RELU_BIAS_GRAD, tf.getBackend()))
    return tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }, {}) as unknown as [tf.Tensor, tf.Tensor];
  const dyAct = relu ? tf.mul(dy, tf.step(y)) : dy;
  return [dyAct, tf.sum(dyAct, [0, 1, 2])];
}

function registerFusedConvGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: 'FusedConv2D',
    inputsToSave: ['x', 'filter', 'bias'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, bias, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor, tf.Tensor4D];
      const { strides, pad, dimRoundingMode, activation } = attrs as unknown as FusedConvAttrs;
      // Held until the backward pass ends, as tfjs' own fused gradient holds them.
      const [dyAct, db] = outputGrads(dy as tf.Tensor, y, activation === 'relu');
      const common = { strides, pad, dataFormat: 'NHWC', ...(dimRoundingMode ? { dimRoundingMode } : {}) };
      return {
        x: () =>
          tf.engine().runKernel(
            'Conv2DBackpropInput',
            { dy: dyAct, filter },
            {
              ...common,
              inputShape: x.shape,
            },
          ) as tf.Tensor,
        filter: () =>
          tf.engine().runKernel(
            'Conv2DBackpropFilter',
            { x, dy: dyAct },
            {
              ...common,
              filterShape: filter.shape,
            },
          ) as tf.Tensor,
        bias: () => tf.reshape(db, bias.shape),
      };
    },
  });
}

/** The conv layer's variables and settings when it can run fused, else null. */
function fusableConv(
  layer: tf.layers.Layer,
): { kernel: tf.Tensor4D; bias: tf.Tensor1D; strides: number[] } | null {
  if (layer.getClassName() !== 'Conv2D') return null;
  const c = layer.getConfig() as {
    activation?: string;
    useBias?: boolean;
    padding?: string;
    dataFormat?: string;
    dilationRate?: number | number[];
    strides?: number | number[];
  };
  const ones = (v: number | number[] | undefined) => [v ?? 1].flat().every((d) => d === 1);
  const fusable =
    c.activation === 'relu' &&
    c.useBias !== false &&
    c.padding === 'valid' &&
    (c.dataFormat ?? 'channelsLast') === 'channelsLast' &&
    ones(c.dilationRate) &&
    layer.weights.length === 2;
  if (!fusable) return null;
  const strides = [c.strides ?? 1].flat();
  return {
    kernel: layer.weights[0]!.read() as tf.Tensor4D,
    bias: layer.weights[1]!.read() as tf.Tensor1D,
    strides: strides.length === 1 ? [strides[0]!, strides[0]!] : strides,
  };
}

/** relu(conv(x, filter) + bias), valid padding, NHWC, as one FusedConv2D with the gradient above. */
export function convBiasRelu(
  x: tf.Tensor,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D,
  strides: [number, number] = [1, 1],
): tf.Tensor4D {
  registerFusedConvGradient();
  const attrs: FusedConvAttrs = {
    strides,
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [1, 1],
    activation: 'relu',
  };
  const inputs = { x, filter, bias };
  return tf.engine().runKernel('FusedConv2D', inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** model.apply(x, { training: true }) with the conv layers fused (see above). */
export function applyForTraining(model: tf.LayersModel, x: tf.Tensor): tf.Tensor {
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  return layers.reduce((t, layer) => {
    const conv = fusableConv(layer);
    if (!conv) return layer.apply(t, { training: true }) as tf.Tensor;
    return convBiasRelu(t, conv.kernel, conv.bias, conv.strides as [number, number]);
  }, x);
}

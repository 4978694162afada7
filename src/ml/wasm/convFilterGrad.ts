/**
 * The filter gradient of a 2D convolution for the WASM backend, which ships without one
 * (tensorflow/tfjs#8474), so conv nets cannot train on it. Composed from kernels WASM has:
 *
 *   dW[kh, kw, ci, co] = Σ_n Σ_i Σ_j xPadded[n, i·s + kh, j·s + kw, ci] · dy[n, i, j, co]
 *
 * is a valid convolution of xPadded transposed to [Ci, H, W, N] (channels become the batch, the batch becomes
 * channels) with dy transposed to [Ho, Wo, N, Co] as the filter, at dilation s (the forward stride). Its
 * output [Ci, ≥KH, ≥KW, Co] is cropped and transposed to [KH, KW, Ci, Co]. Works for any stride and padding.
 */
import * as tf from '@tensorflow/tfjs';
import { withTemps, type ConvAttrs, type Info, type KernelArgs, wasmKernel as kernel } from './kernelUtil';

export function conv2dBackpropFilterWasm({ inputs, backend, attrs }: KernelArgs): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as ConvAttrs & {
    filterShape: [number, number, number, number];
  };
  if (dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter on WASM supports NHWC only');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [kh, kw, ci, co] = filterShape;
  const { top, left, bottom, right } = info.padInfo;
  return withTemps(backend, (keep) => {
    let xp = x;
    if (top || left || bottom || right) {
      xp = keep(
        kernel('PadV2')({
          inputs: { x },
          backend,
          attrs: {
            paddings: [
              [0, 0],
              [top, bottom],
              [left, right],
              [0, 0],
            ],
            constantValue: 0,
          },
        }),
      );
    }
    const xT = keep(kernel('Transpose')({ inputs: { x: xp }, backend, attrs: { perm: [3, 1, 2, 0] } }));
    const dyT = keep(kernel('Transpose')({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }));
    let out = keep(
      kernel('Conv2D')({
        inputs: { x: xT, filter: dyT },
        backend,
        attrs: {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [info.strideHeight, info.strideWidth],
          dimRoundingMode: undefined,
        },
      }),
    );
    if (out.shape[1] !== kh || out.shape[2] !== kw) {
      out = keep(
        kernel('Slice')({
          inputs: { x: out },
          backend,
          attrs: { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] },
        }),
      );
    }
    return kernel('Transpose')({ inputs: { x: out }, backend, attrs: { perm: [1, 2, 0, 3] } });
  });
}

/**
 * The filter gradient of a 2D convolution on WebGPU. tfjs 4.22's runs one thread per weight, each looping over
 * every batch × output position (864 threads of 664,576 multiply-adds for the small model's first layer); the
 * lab's splits that loop over many threads and adds the parts up after (convFilterGradPlan.ts, the WGSL in
 * convFilterGradPrograms.ts). NHWC float32, any stride and padding; the rest goes to tfjs' kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { filterGradPlan, MAX_DISPATCH, MAX_FILTER_GRAD_CHANNELS } from './convFilterGradPlan';
import { Conv2DFilterGradPartialsProgram, Conv2DFilterGradSumProgram } from './convFilterGradPrograms';
import type { WebGpuKernel } from './register';

type Shape4 = [number, number, number, number];

interface FilterGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil' | null;
  filterShape: Shape4;
}

interface FilterGradArgs {
  inputs: { x: tf.TensorInfo; dy: tf.TensorInfo };
  backend: WebGPUBackend;
  attrs: FilterGradAttrs;
}

/** The two programs' output, or null where the stock kernel should run (the op has no dilations to check). */
export function conv2dBackpropFilterWebGpu({ inputs, backend, attrs }: FilterGradArgs): tf.TensorInfo | null {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat !== 'NHWC' || dimRoundingMode != null) return null;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32' || filterShape[3] > MAX_FILTER_GRAD_CHANNELS)
    return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad);
  const plan = filterGradPlan(info);
  if (plan.rowBlocks > MAX_DISPATCH) return null;
  const { top, left } = info.padInfo;
  const padded = top > 0 || left > 0 || info.padInfo.bottom > 0 || info.padInfo.right > 0;
  const direct = plan.chunks === 1;
  const partials = new Conv2DFilterGradPartialsProgram(
    plan,
    info.outChannels,
    padded,
    direct ? filterShape : [plan.chunks, plan.filterRows, info.outChannels],
  );
  const out = backend.runWebGPUProgram(partials, [x, dy], 'float32', [
    { type: 'int32', data: [top, left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [info.filterWidth] },
    { type: 'int32', data: [plan.positions] },
    { type: 'int32', data: [plan.chunk] },
    { type: 'int32', data: [plan.filterRows] },
  ]);
  if (direct) return out;
  const dw = backend.runWebGPUProgram(
    new Conv2DFilterGradSumProgram(filterShape, plan.chunks),
    [out],
    'float32',
    [{ type: 'int32', data: [plan.chunks] }],
  );
  backend.disposeData(out.dataId);
  return dw;
}

export const convFilterGradKernel: WebGpuKernel = {
  kernelName: tf.Conv2DBackpropFilter,
  make: (stock) => (args) => {
    const out = conv2dBackpropFilterWebGpu(args as unknown as FilterGradArgs);
    if (out) return out;
    if (!stock) throw new Error('Conv2DBackpropFilter on WebGPU: no stock kernel for this case');
    return stock(args);
  },
};

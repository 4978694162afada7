/** Makes the WASM backend able to train the study's conv nets, and fast at it (see each kernel's file). */
import * as tf from '@tensorflow/tfjs';
import { makeBatchMatMul } from './batchMatMul';
import { makeConv2D, makeFusedConv2D } from './conv2d';
import { conv2dBackpropFilterWasm } from './convFilterGrad';
import { makeConvInputGrad } from './convInputGrad';
import { makeBinary, makeUnary } from './elementwise';
import { makeCast, makeIdentity } from './identity';
import type { KernelFn } from './kernelUtil';
import { makeMaxPool } from './maxPool';
import { makeMaxPoolGrad } from './maxPoolGrad';
import { RELU_BIAS_GRAD, reluBiasGradWasm } from './reluBiasGrad';
import { makeSum } from './sum';
import { makeTranspose } from './transpose';

let done = false;

function replace(name: string, make: (stock: KernelFn) => unknown) {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) throw new Error(`the WASM backend has no ${name} kernel`);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc as unknown as KernelFn) as tf.KernelFunc });
}

export function registerWasmTrainingKernels(): void {
  if (done) return;
  done = true;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
    });
  }
  replace('Conv2D', makeConv2D);
  replace('FusedConv2D', makeFusedConv2D);
  tf.registerKernel({
    kernelName: RELU_BIAS_GRAD,
    backendName: 'wasm',
    kernelFunc: reluBiasGradWasm as unknown as tf.KernelFunc,
  });
  replace('Conv2DBackpropInput', makeConvInputGrad);
  replace('MaxPool', makeMaxPool);
  replace('MaxPoolGrad', makeMaxPoolGrad);
  replace('BatchMatMul', makeBatchMatMul);
  replace('Sum', makeSum);
  replace('Transpose', makeTranspose);
  replace('Identity', makeIdentity);
  replace('Cast', makeCast);
  replace('Relu', (stock) => makeUnary('Relu', stock));
  replace('Step', (stock) => makeUnary('Step', stock));
  replace('Multiply', (stock) => makeBinary('Multiply', stock));
  replace('Add', (stock) => makeBinary('Add', stock));
}

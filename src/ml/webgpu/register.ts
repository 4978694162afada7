/**
 * The lab's WebGPU kernels, registered over tfjs' own where tfjs' are serial or split into many dispatches
 * (see each kernel's file). One list; `unregister` puts tfjs' kernels back (bench:train --stock measures them).
 */
import * as tf from '@tensorflow/tfjs';
import { convFilterGradKernel } from './convFilterGrad';
import { decodeImagesKernel } from './decodeImages';

export interface WebGpuKernel {
  kernelName: string;
  /** Given tfjs' own kernel function (null when tfjs has none), the lab's; it may call the stock one for cases it does not cover. */
  make(stock: tf.KernelFunc | null): tf.KernelFunc;
}

const KERNELS: WebGpuKernel[] = [decodeImagesKernel, convFilterGradKernel];

const stockKernels = new Map<string, tf.KernelConfig | null>();

export function registerWebGpuTrainingKernels(): void {
  if (stockKernels.size) return;
  for (const k of KERNELS) {
    const stock = tf.getKernel(k.kernelName, 'webgpu') ?? null;
    stockKernels.set(k.kernelName, stock);
    if (stock) tf.unregisterKernel(k.kernelName, 'webgpu');
    tf.registerKernel({
      ...(stock ?? {}),
      kernelName: k.kernelName,
      backendName: 'webgpu',
      kernelFunc: k.make(stock?.kernelFunc ?? null),
    });
  }
}

/** tfjs' own kernels again. */
export function unregisterWebGpuTrainingKernels(): void {
  for (const [name, stock] of stockKernels) {
    tf.unregisterKernel(name, 'webgpu');
    if (stock) tf.registerKernel(stock);
  }
  stockKernels.clear();
}

export const webGpuTrainingKernelsRegistered = (): boolean => stockKernels.size > 0;

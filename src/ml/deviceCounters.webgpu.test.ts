// The device counters on WebGPU (Dawn; SwiftShader here): dispatches and each program's threads and serial loop,
// for tfjs' own filter gradient and the lab's.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countDevice } from './deviceCounters';
import { startDawnWebGpu } from './webgpu/node/dawn';
import { registerWebGpuTrainingKernels, unregisterWebGpuTrainingKernels } from './webgpu/register';

beforeAll(async () => {
  await startDawnWebGpu({ preferSoftware: true });
}, 60_000);

/** The launches of one filter gradient: x [2, 10, 8, 3], a 3×3 filter to 4 channels, so dy is [2, 8, 6, 4]. */
async function filterGradLaunches() {
  const x = tf.randomUniform([2, 10, 8, 3]) as tf.Tensor4D;
  const dy = tf.randomUniform([2, 8, 6, 4]) as tf.Tensor4D;
  await Promise.all([x.data(), dy.data()]);
  const counter = countDevice();
  const dw = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, {
    strides: 1,
    pad: 'valid',
    dataFormat: 'NHWC',
    filterShape: [3, 3, 3, 4],
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
  await dw.data();
  const counts = counter.stop();
  tf.dispose([x, dy, dw]);
  return counts;
}

describe('countDevice on WebGPU', () => {
  it("sees tfjs' filter gradient as one thread per weight, each looping over dy's batch × rows × columns", async () => {
    unregisterWebGpuTrainingKernels();
    const counts = await filterGradLaunches();
    const stock = counts.launches.find((l) => l.name === 'conv2DDerFilter');
    expect(stock).toBeDefined();
    expect(stock!.threads).toBeGreaterThanOrEqual(3 * 3 * 3 * 4);
    expect(stock!.serialMacsPerThread).toBe(2 * 8 * 6);
    expect(counts.dispatches).toBe(counts.launches.length);
    expect(counts.reads).toBe(1);
  });

  it("sees the lab's split-K filter gradient and counts its dispatches, then leaves the device as it was", async () => {
    registerWebGpuTrainingKernels();
    const counts = await filterGradLaunches();
    expect(counts.launches.some((l) => l.name === 'conv2DDerFilter')).toBe(false);
    expect(counts.launches.every((l) => l.serialMacsPerThread !== null && l.threads > 0)).toBe(true);
    expect(counts.dispatches).toBeGreaterThanOrEqual(counts.launches.length);
    const after = await filterGradLaunches(); // a second counter starts from zero: the first was taken off
    expect(after.dispatches).toBe(counts.dispatches);
  });
});

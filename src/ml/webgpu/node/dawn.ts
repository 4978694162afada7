/**
 * WebGPU for Node (tests, bench:gpu): Dawn's Node binding from the `webgpu` package gives Node a `navigator.gpu`.
 * On a machine with no GPU it finds SwiftShader, the software Vulkan driver Debian's chromium package installs;
 * on a GPU server, the vendor's Vulkan driver. Never imported by the lab's pages.
 */
import { existsSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface DawnGpu {
  adapter: { vendor: string; architecture: string; device: string; description: string };
  /** True when the only adapter is a software one (SwiftShader): correct, and slow. */
  software: boolean;
}

let installed: Promise<DawnGpu> | null = null;

/**
 * Installs `navigator.gpu` and the WebGPU globals in this Node process, once. Without a Vulkan driver of its own
 * choosing (VK_ICD_FILENAMES unset) it uses SwiftShader when that is installed and no other driver is named.
 */
export function installDawnGpu(options: { preferSoftware?: boolean } = {}): Promise<DawnGpu> {
  installed ??= (async () => {
    process.env.XDG_RUNTIME_DIR ??= '/tmp';
    if (options.preferSoftware && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD))
      process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const gpu = create([]);
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...(globalThis.navigator ?? {}), gpu },
      configurable: true,
      writable: true,
    });
    const adapter = await gpu.requestAdapter();
    if (!adapter)
      throw new Error(
        'WebGPU in Node found no adapter: install a Vulkan loader and driver (apt-get install -y libvulkan1 chromium ' +
          `gives SwiftShader at ${SWIFTSHADER_ICD}), or set VK_ICD_FILENAMES to your GPU's Vulkan driver.`,
      );
    const info = adapter.info;
    return {
      adapter: {
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description: info.description,
      },
      software:
        info.architecture === 'swiftshader' || /swiftshader|llvmpipe|lavapipe/i.test(info.description),
    };
  })();
  return installed;
}

/**
 * navigator.gpu, then tfjs' WebGPU backend (it registers itself only if navigator.gpu exists when it is first
 * imported), then `tf.setBackend('webgpu')`.
 */
export async function startDawnWebGpu(options: { preferSoftware?: boolean } = {}): Promise<DawnGpu> {
  const gpu = await installDawnGpu(options);
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  // A module that imported the backend before navigator.gpu existed left it unregistered: register it as its own
  // base.js would have (the same adapter, features and limits).
  if (!tf.findBackendFactory('webgpu'))
    tf.registerBackend(
      'webgpu',
      async () => {
        const adapter = (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }))!;
        const features = (['timestamp-query', 'bgra8unorm-storage'] as const).filter((f) =>
          adapter.features.has(f),
        );
        const l = adapter.limits;
        const device = await adapter.requestDevice({
          requiredFeatures: features,
          requiredLimits: {
            maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
            maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
            maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
            maxBufferSize: l.maxBufferSize,
            maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
            maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
          },
        });
        return new WebGPUBackend(device, adapter.info);
      },
      3,
    );
  if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu')
    throw new Error(`tfjs' WebGPU backend did not start on ${gpu.adapter.description}.`);
  return gpu;
}

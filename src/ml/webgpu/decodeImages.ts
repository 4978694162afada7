/**
 * uint8 images to float32 batches on the GPU: images travel packed four bytes to an int32 (a quarter of the
 * float32 batch), and are converted to [0, 1], gathered by slot and mirrored here instead of on the CPU.
 *
 * `LabDecodeImages` inputs: `images`, int32 words, image i at words [i·W, (i+1)·W) with W = IMAGE_BYTES / 4;
 * optionally `slots`, int32 [batch]: the image of each batch row, where a slot s ≥ `mirrorFrom` is image
 * s − mirrorFrom mirrored left to right. Without `slots`, row b is image b as it is. Output float32 [batch, H, W, C].
 */
import * as tf from '@tensorflow/tfjs';
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { IMAGE_BYTES, IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../../core/image';

export const DECODE_IMAGES = 'LabDecodeImages';

export interface DecodeImagesAttrs {
  /** Slots at or past this are mirrored images (ignored without `slots`). */
  mirrorFrom: number;
}

class DecodeImagesProgram implements WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'mirrorFrom : i32,';
  size = true;
  /** Each thread converts one value. */
  serialMacsPerThread = 1;

  constructor(
    batch: number,
    private readonly gathered: boolean,
  ) {
    this.variableNames = gathered ? ['images', 'slots'] : ['images'];
    this.outputShape = [batch, IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS];
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, this.outputShape, this.workgroupSize);
    this.shaderKey = `labDecodeImages_${gathered}`;
  }

  getUserCode(): string {
    const row = IMAGE_WIDTH * IMAGE_CHANNELS;
    return `
      fn main(index : i32) {
        if (index >= uniforms.size) { return; }
        let b = index / ${IMAGE_BYTES};
        let r = index - b * ${IMAGE_BYTES};
        var image = b;
        var at = r;
        ${
          this.gathered
            ? `let slot = slots[b];
        image = slot;
        if (slot >= uniforms.mirrorFrom) {
          image = slot - uniforms.mirrorFrom;
          let y = r / ${row};
          let x = (r - y * ${row}) / ${IMAGE_CHANNELS};
          let c = r - y * ${row} - x * ${IMAGE_CHANNELS};
          at = y * ${row} + (${IMAGE_WIDTH - 1} - x) * ${IMAGE_CHANNELS} + c;
        }`
            : ''
        }
        let word = images[image * ${IMAGE_BYTES / 4} + at / 4];
        let byte = (u32(word) >> (u32(at % 4) * 8u)) & 255u;
        setOutputAtIndex(index, f32(byte) / 255.0);
      }
    `;
  }
}

function decodeImages(args: {
  inputs: { images: tf.TensorInfo; slots?: tf.TensorInfo };
  backend: WebGPUBackend;
  attrs: DecodeImagesAttrs;
}): tf.TensorInfo {
  const { images, slots } = args.inputs;
  const batch = slots ? slots.shape[0]! : (images.shape[0]! * 4) / IMAGE_BYTES;
  const program = new DecodeImagesProgram(batch, !!slots);
  return args.backend.runWebGPUProgram(program, slots ? [images, slots] : [images], 'float32', [
    { type: 'int32', data: [args.attrs.mirrorFrom] },
  ]);
}

export const decodeImagesKernel = {
  kernelName: DECODE_IMAGES,
  make: () => decodeImages as unknown as tf.KernelFunc,
};

/** Packs uint8 images into int32 words (little-endian, as the GPU reads them); the bytes are shared, not copied. */
export const packedWords = (bytes: Uint8Array): Int32Array =>
  new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);

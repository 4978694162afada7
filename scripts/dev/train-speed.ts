// Training samples/s of the study's primary model (Model 2, 32 filters 3x3) and a bigger one on WASM in Node.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { layersOf, type ModelSpec } from '../../src/core/models';
import { IMAGE_BYTES } from '../../src/core/image';
import { buildModel } from '../../src/ml/model';
import { trainModel } from '../../src/ml/train';
import { registerWasmTrainingKernels } from '../../src/ml/wasm/register';

registerWasmTrainingKernels();
await tf.setBackend(process.argv[2] ?? 'wasm');
const n = 256;
const imgs = Array.from({ length: n }, (_, i) =>
  Uint8Array.from({ length: IMAGE_BYTES }, (_, p) => (p * 31 + i * 17) % 256),
);
const src = { image: (i: number) => imgs[i]! };
const split = {
  items: Int32Array.from({ length: n }, (_, k) => k),
  labels: Int32Array.from({ length: n }, (_, k) => k % 3),
};
const val = { items: Int32Array.of(0), labels: Int32Array.of(0) };
const specs: [string, ModelSpec, number][] = [
  [
    'small (Model 2, 32 k3, 3 classes)',
    { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 },
    3,
  ],
  [
    'big (Model 3, 64 k5/k3, dense 512, 11 classes)',
    { family: 'model3', filters: 64, kernel1: 5, kernel2: 3, dense: 512, dropout: 0 },
    11,
  ],
];
for (const [name, spec, classes] of specs) {
  const model = buildModel(layersOf(spec, classes), 1);
  const r = await trainModel(model, src, split, val, classes, {
    epochs: 2,
    batchSize: 64,
    learningRate: 0.001,
    patience: 9,
    flip: false,
    seed: 1,
  });
  console.log(tf.getBackend(), name, 'epoch 2:', r.epochs[1]!.samplesPerSecond.toFixed(1), 'samples/s');
  model.dispose();
}

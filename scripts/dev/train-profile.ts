// Where one training step's time goes, per kernel (tf.profile), on the chosen backend in Node:
// npx tsx scripts/dev/train-profile.ts [wasm|cpu] [small|big]. In Chromium: npm run bench:train -- --profile.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ModelSpec } from '../../src/core/models';
import { profileStep } from '../../src/ml/stepProfile';
import { registerWasmTrainingKernels } from '../../src/ml/wasm/register';

registerWasmTrainingKernels();
await tf.setBackend(process.argv[2] ?? 'wasm');
const big = process.argv[3] === 'big';
const spec: ModelSpec = big
  ? { family: 'model3', filters: 64, kernel1: 5, kernel2: 3, dense: 512, dropout: 0 }
  : { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
const p = await profileStep(spec, big ? 11 : 3);
console.log(
  `${tf.getBackend()} ${big ? 'big' : 'small'}: one step of 64 = ${p.stepMs} ms (${((64 / p.stepMs) * 1000).toFixed(1)} samples/s)`,
);
for (const k of p.kernels)
  console.log(
    `  ${k.kernel.padEnd(24)} ${String(k.ms).padStart(6)} ms ${(k.share * 100).toFixed(1).padStart(5)}%`,
  );

// Where one training step's time goes, per kernel (tf.profile), on the chosen backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { layersOf, type ModelSpec } from '../../src/core/models';
import { buildModel } from '../../src/ml/model';
import { registerWasmTrainingKernels } from '../../src/ml/wasm/register';

registerWasmTrainingKernels();
await tf.setBackend(process.argv[2] ?? 'wasm');
const big = process.argv[3] === 'big';
const spec: ModelSpec = big
  ? { family: 'model3', filters: 64, kernel1: 5, kernel2: 3, dense: 512, dropout: 0 }
  : { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 };
const classes = big ? 11 : 3;
const model = buildModel(layersOf(spec, classes), 1);
const opt = tf.train.adam(0.001);
const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
const x = tf.randomUniform([64, 120, 90, 3]);
const y = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: 64 }, (_, i) => i % classes),
    'int32',
  ),
  classes,
);
const step = () =>
  opt.minimize(
    () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    false,
    vars,
  );
step();
const info = await tf.profile(() => void step());
const byKernel = new Map<string, number>();
for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
console.log(
  `${tf.getBackend()} ${big ? 'big' : 'small'}: one step of 64 = ${total.toFixed(0)} ms (${((64 / total) * 1000).toFixed(1)} samples/s)`,
);
for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 10))
  console.log(
    `  ${name.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%`,
  );
if (process.argv.includes('--shapes'))
  for (const k of info.kernels.filter((k) => k.name === process.argv[process.argv.indexOf('--shapes') + 1]))
    console.log(`  ${k.name} ${JSON.stringify(k.inputShapes)} ${(k.kernelTimeMs as number).toFixed(1)} ms`);

// The big model's dense layer (64 x 35,840 by 35,840 x 512) on WASM: its three products, as tfjs asks for them and
// rewritten so that the long dimension is XNNPACK's row count.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/ml/wasm/register';

registerWasmTrainingKernels();
await tf.setBackend('wasm');
const x = tf.randomNormal([64, 35840]);
const w = tf.randomNormal([35840, 512]);
const dy = tf.randomNormal([64, 512]);
const wT = w.transpose();
function time(label: string, f: () => tf.Tensor, reps = 3) {
  tf.dispose(f());
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.dispose(f());
  console.log(`${label.padEnd(44)} ${((performance.now() - t0) / reps).toFixed(1)} ms`);
}
time('forward x.W', () => tf.matMul(x, w));
time('forward x.W in K blocks of 4096', () =>
  tf.tidy(() => {
    let acc: tf.Tensor = tf.zeros([64, 512]);
    for (let k = 0; k < 35840; k += 4096) {
      const kk = Math.min(4096, 35840 - k);
      acc = acc.add(tf.matMul(x.slice([0, k], [64, kk]), w.slice([k, 0], [kk, 512])));
    }
    return acc;
  }),
);
time('dW = xT.dy (transposeA)', () => tf.matMul(x, dy, true, false));
time('dx = dy.wT (transposeB)', () => tf.matMul(dy, w, false, true));
time('dx = (w.dyT)T', () => tf.tidy(() => tf.matMul(w, dy.transpose()).transpose()));
time('transpose w', () => w.transpose());
time('fresh copy of w (w + 0)', () => w.add(0));
time('forward x.(w + 0): weights packed afresh', () => tf.tidy(() => tf.matMul(x, w.add(0))));
time('forward (wT.xT)T with wT cached', () => tf.tidy(() => tf.matMul(wT, x.transpose()).transpose()));
time('forward (wT.xT)T, wT fresh', () => tf.tidy(() => tf.matMul(wT.add(0), x.transpose()).transpose()));

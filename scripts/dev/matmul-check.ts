// Speed of the WASM backend's matMul for the big model's dense layer, per transpose combination.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const x = tf.randomNormal([64, 35840]);
const w = tf.randomNormal([35840, 512]);
const dy = tf.randomNormal([64, 512]);
const time = (name: string, f: () => tf.Tensor) => {
  f().dispose();
  const t = performance.now();
  for (let i = 0; i < 3; i++) f().dispose();
  const ms = (performance.now() - t) / 3;
  console.log(
    name.padEnd(36),
    ms.toFixed(0).padStart(6),
    'ms',
    ((64 * 35840 * 512) / ms / 1e6).toFixed(2),
    'GMAC/s',
  );
};
time('forward x·W', () => tf.matMul(x, w));
time('dW = xᵀ·dy (transposeA)', () => tf.matMul(x, dy, true, false));
time('dW via explicit transpose', () => tf.tidy(() => tf.matMul(tf.transpose(x), dy)));
time('dx = dy·Wᵀ (transposeB)', () => tf.matMul(dy, w, false, true));
time('dx via explicit transpose', () => tf.tidy(() => tf.matMul(dy, tf.transpose(w))));

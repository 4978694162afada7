// Time the WASM filter-gradient kernel and its parts on the small model's two conv layers (batch 64), in Node.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../../src/ml/wasm/register';

registerWasmTrainingKernels();
await tf.setBackend('wasm');
const layers: [string, number[], number[]][] = [
  ['conv1 3->32 k3', [64, 120, 90, 3], [3, 3, 3, 32]],
  ['conv2 32->32 k3', [64, 59, 44, 32], [3, 3, 32, 32]],
];
function time(label: string, f: () => tf.Tensor | tf.Tensor[], reps = 3) {
  tf.dispose(f());
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) tf.dispose(f());
  console.log(`${label.padEnd(40)} ${((performance.now() - t0) / reps).toFixed(1)} ms`);
}
for (const [name, xs, fs] of layers) {
  const x = tf.randomNormal(xs as [number, number, number, number]);
  const [n, h, w] = xs as [number, number, number, number];
  const dy = tf.randomNormal([n, h - fs[0]! + 1, w - fs[1]! + 1, fs[3]!]);
  console.log(name);
  time(
    '  filter grad (registered kernel)',
    () =>
      tf.engine().runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        {
          strides: 1,
          pad: 'valid',
          dataFormat: 'NHWC',
          filterShape: fs,
        },
      ) as tf.Tensor,
  );
  time('  transpose x -> [C,H,W,N]', () => tf.transpose(x, [3, 1, 2, 0]));
  time('  transpose dy -> [H,W,N,C]', () => tf.transpose(dy, [1, 2, 0, 3]));
  time('  forward conv (same MACs)', () =>
    tf.conv2d(x as tf.Tensor4D, tf.zeros(fs as [number, number, number, number]) as tf.Tensor4D, 1, 'valid'),
  );
  const P = dy.size / fs[3]!;
  const K = fs[0]! * fs[1]! * fs[2]!;
  const dyT = tf.transpose(dy.reshape([P, fs[3]!]));
  const cols = tf.randomNormal([P, K]);
  time(`  matmul dyT[${fs[3]}x${P}] . cols[${P}x${K}]`, () => tf.matMul(dyT, cols));
  const colsT = tf.transpose(cols);
  time(`  matmul colsT[${K}x${P}] . dy[${P}x${fs[3]}]`, () => tf.matMul(colsT, dy.reshape([P, fs[3]!])));
  tf.dispose([x, dy, dyT, cols, colsT]);
}

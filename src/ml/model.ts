/** A tfjs model from the study's layer specs, with seeded initialisation (reproducible runs). */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from '../core/image';
import type { LayerSpec } from '../core/models';

export function buildModel(layers: readonly LayerSpec[], seed: number): tf.Sequential {
  const model = tf.sequential();
  let k = 0;
  // Keras' defaults (Glorot-uniform kernels, zero biases), each layer with its own seed.
  const init = () => tf.initializers.glorotUniform({ seed: seed * 7919 + k++ });
  layers.forEach((l, i) => {
    const input = i === 0 ? { inputShape: [IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS] } : {};
    switch (l.type) {
      case 'conv2d':
        model.add(
          tf.layers.conv2d({
            ...input,
            filters: l.filters,
            kernelSize: l.kernel,
            padding: 'valid',
            activation: 'relu',
            kernelInitializer: init(),
          }),
        );
        break;
      case 'maxPool':
        model.add(tf.layers.maxPooling2d({ ...input, poolSize: 2 }));
        break;
      case 'flatten':
        model.add(tf.layers.flatten(input));
        break;
      case 'dense':
        model.add(
          tf.layers.dense({
            ...input,
            units: l.units,
            activation: l.relu ? 'relu' : 'linear',
            kernelInitializer: init(),
          }),
        );
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ ...input, rate: l.rate, seed: seed * 7919 + k++ }));
        break;
    }
  });
  return model;
}

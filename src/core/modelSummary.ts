/** A model's layers with output shapes and parameter counts, as Keras' model.summary() prints them. */
import { IMAGE_CHANNELS, IMAGE_HEIGHT, IMAGE_WIDTH } from './image';
import { layersOf, type ModelSpec } from './models';

export interface LayerRow {
  name: string;
  /** Without the batch dimension. */
  outputShape: number[];
  params: number;
}

export interface ModelSummary {
  layers: LayerRow[];
  params: number;
  /** Why this model cannot be built on 120×90 input (a kernel larger than what is left), or null. */
  problem: string | null;
}

export function summariseModel(spec: ModelSpec, classes: number): ModelSummary {
  let shape = [IMAGE_HEIGHT, IMAGE_WIDTH, IMAGE_CHANNELS];
  let problem: string | null = null;
  const counts: Record<string, number> = {};
  const name = (kind: string) => `${kind}_${(counts[kind] = (counts[kind] ?? 0) + 1)}`;
  const layers = layersOf(spec, classes).map((l): LayerRow => {
    switch (l.type) {
      case 'conv2d': {
        const [h, w, c] = shape as [number, number, number];
        const out = [h - l.kernel + 1, w - l.kernel + 1, l.filters];
        if (out[0]! < 1 || out[1]! < 1) problem ??= `a ${l.kernel}×${l.kernel} kernel does not fit ${h}×${w}`;
        shape = out;
        return { name: name('conv2d'), outputShape: out, params: (l.kernel * l.kernel * c + 1) * l.filters };
      }
      case 'maxPool':
        shape = [Math.floor(shape[0]! / 2), Math.floor(shape[1]! / 2), shape[2]!];
        return { name: name('max_pooling2d'), outputShape: shape, params: 0 };
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        return { name: name('flatten'), outputShape: shape, params: 0 };
      case 'dropout':
        return { name: name('dropout'), outputShape: shape, params: 0 };
      case 'dense': {
        const params = (shape[0]! + 1) * l.units;
        shape = [l.units];
        return { name: name('dense'), outputShape: shape, params };
      }
    }
  });
  return { layers, params: layers.reduce((a, l) => a + l.params, 0), problem };
}

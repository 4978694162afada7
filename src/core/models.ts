/** The study's model families as data (SEED_STUDY.md): Keras Sequential, input 120x90x3, valid padding, ReLU. */

export type ModelFamily = 'model1' | 'model2' | 'model3' | 'dropout';

export interface ModelSpec {
  family: ModelFamily;
  /** Filters of every conv layer. */
  filters: number;
  kernel1: number;
  /** Second conv layer's kernel (models 2, 3 and dropout). */
  kernel2: number;
  /** Hidden dense units (model 3; the dropout variant uses 1024). */
  dense: number;
  /** Dropout rate after the hidden dense layer (dropout variant). */
  dropout: number;
}

export type LayerSpec =
  | { type: 'conv2d'; filters: number; kernel: number }
  | { type: 'maxPool' }
  | { type: 'flatten' }
  | { type: 'dense'; units: number; relu: boolean }
  | { type: 'dropout'; rate: number };

/** The layers of a model; the last is the logits layer (no activation). */
export function layersOf(spec: ModelSpec, classes: number): LayerSpec[] {
  const conv1: LayerSpec = { type: 'conv2d', filters: spec.filters, kernel: spec.kernel1 };
  const out: LayerSpec = { type: 'dense', units: classes, relu: false };
  if (spec.family === 'model1') return [conv1, { type: 'flatten' }, out];
  const convs: LayerSpec[] = [
    conv1,
    { type: 'maxPool' },
    { type: 'conv2d', filters: spec.filters, kernel: spec.kernel2 },
    { type: 'maxPool' },
    { type: 'flatten' },
  ];
  if (spec.family === 'model2') return [...convs, out];
  const hidden: LayerSpec = { type: 'dense', units: spec.dense, relu: true };
  if (spec.family === 'model3') return [...convs, hidden, out];
  return [...convs, hidden, { type: 'dropout', rate: spec.dropout }, out];
}

export function describeModel(spec: ModelSpec): string {
  const k2 = spec.family === 'model1' ? '' : `, ${spec.filters} filters ${spec.kernel2}×${spec.kernel2}`;
  const dense = spec.family === 'model3' || spec.family === 'dropout' ? `, dense ${spec.dense}` : '';
  const drop = spec.family === 'dropout' ? `, dropout ${spec.dropout}` : '';
  const name = { model1: 'Model 1', model2: 'Model 2', model3: 'Model 3', dropout: 'Dropout model' }[
    spec.family
  ];
  return `${name}: ${spec.filters} filters ${spec.kernel1}×${spec.kernel1}${k2}${dense}${drop}`;
}

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Early stopping on validation loss; the best weights are restored. */
  patience: number;
  /** Horizontal-flip augmentation (the study's Shoes All). */
  flip: boolean;
  seed: number;
}

export const STUDY_TRAINING: Omit<TrainSettings, 'epochs' | 'flip'> = {
  batchSize: 64,
  learningRate: 0.001,
  patience: 2,
  seed: 1,
};

/** A grid: each key takes the listed values; cells are the cartesian product. */
export type Grid = Partial<Record<'filters' | 'kernel1' | 'kernel2' | 'dense' | 'dropout', number[]>>;

export function gridCells(base: ModelSpec, grid: Grid): ModelSpec[] {
  let cells: ModelSpec[] = [base];
  for (const [key, values] of Object.entries(grid) as [keyof Grid, number[]][]) {
    cells = cells.flatMap((cell) => values.map((v) => ({ ...cell, [key]: v })));
  }
  return cells;
}

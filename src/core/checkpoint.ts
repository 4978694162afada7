/** What a training run keeps after every epoch so that it can resume after a reload (plain data, no tensors). */
import type { EpochResult } from './runs';

export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

export interface TrainCheckpoint {
  /** Epochs completed; training resumes at this epoch. */
  epochsDone: number;
  epochs: EpochResult[];
  bestLoss: number;
  bestEpoch: number;
  /** Epochs since the validation loss last improved. */
  wait: number;
  weights: SavedTensor[];
  /** Adam's moments and step count. */
  optimizer: SavedTensor[];
  /** The best epoch's weights, when not the current ones. */
  bestWeights: SavedTensor[] | null;
}

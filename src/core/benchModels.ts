/** The two models every training benchmark times: the study's primary model, and a larger Model 3. */
import type { ModelSpec } from './models';

export const BENCH_MODELS: Record<'small' | 'big', { spec: ModelSpec; classes: number }> = {
  // The study's primary model.
  small: {
    spec: { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 },
    classes: 3,
  },
  // A larger Model 3, like the study's shoes models.
  big: {
    spec: { family: 'model3', filters: 64, kernel1: 5, kernel2: 3, dense: 512, dropout: 0 },
    classes: 11,
  },
};

/**
 * The study's own results, to set beside the lab's on the demo catalog (whose tree is the study's). Source: the
 * original Keras study's notebooks, as reported in the lab's study brief (SEED_STUDY.md, "Reported test
 * accuracies"); the 861 / 860 points are also in the study's write-up (README-original-study.md). Keyed by the
 * lab's task ids (src/core/tasks.ts).
 */
export const STUDY_SOURCE =
  'the original Keras study’s reported test accuracies (its notebooks, ~16,000 product photos at 90×120)';

export interface StudyFigure {
  /** Test accuracy, as a fraction. */
  testAccuracy: number;
  /** Which of the study's models the figure belongs to, where it reported several. */
  note?: string;
}

export const STUDY_TEST_ACCURACY: Readonly<Record<string, StudyFigure>> = {
  primary: { testAccuracy: 0.9988 },
  'all:Glasses & Sunglasses': { testAccuracy: 0.948 },
  'all:Trousers & Jeans': { testAccuracy: 0.74, note: 'Model 3; Model 1 69.80%, Model 2 70.80%' },
  'level2:Trousers & Jeans': { testAccuracy: 0.876 },
  'within:Trousers & Jeans:Male': { testAccuracy: 0.868 },
  'within:Trousers & Jeans:Female': { testAccuracy: 0.832 },
  'all:Shoes': { testAccuracy: 0.7173, note: 'with flip augmentation' },
  'level2:Shoes': { testAccuracy: 0.876 },
  'within:Shoes:Male': { testAccuracy: 0.8687 },
  'within:Shoes:Female': { testAccuracy: 0.8194 },
};

/** The study's all-against-separate comparison (trousers & jeans, test set, 2 points per image). */
export const STUDY_COMPARISON: Readonly<Record<string, { combined: number; hierarchical: number }>> = {
  'Trousers & Jeans': { combined: 861, hierarchical: 860 },
};

/** The study's label tree, as folder paths (SEED_STUDY.md: 3 categories, 17 leaf classes). */
export type DemoKind = 'glasses' | 'trousers' | 'shoes';

export interface DemoClass {
  path: string[];
  kind: DemoKind;
}

const G = 'Glasses & Sunglasses';
const T = 'Trousers & Jeans';
const S = 'Shoes';
const SANDALS = 'Sandals & Flip flops & Slippers';
const TRAINERS = 'Trainers & Sneakers';

export const DEMO_CLASSES: readonly DemoClass[] = [
  { path: [G, 'Glasses'], kind: 'glasses' },
  { path: [G, 'Sunglasses'], kind: 'glasses' },
  { path: [T, 'Male', 'Trousers'], kind: 'trousers' },
  { path: [T, 'Male', 'Jeans'], kind: 'trousers' },
  { path: [T, 'Female', 'Trousers'], kind: 'trousers' },
  { path: [T, 'Female', 'Jeans'], kind: 'trousers' },
  { path: [S, 'Male', 'Boots'], kind: 'shoes' },
  { path: [S, 'Male', TRAINERS], kind: 'shoes' },
  { path: [S, 'Male', SANDALS], kind: 'shoes' },
  { path: [S, 'Male', 'Formal shoes'], kind: 'shoes' },
  { path: [S, 'Male', 'Others'], kind: 'shoes' },
  { path: [S, 'Female', 'Boots'], kind: 'shoes' },
  { path: [S, 'Female', 'Ballerina shoes'], kind: 'shoes' },
  { path: [S, 'Female', TRAINERS], kind: 'shoes' },
  { path: [S, 'Female', 'High heels'], kind: 'shoes' },
  { path: [S, 'Female', SANDALS], kind: 'shoes' },
  { path: [S, 'Female', 'Others'], kind: 'shoes' },
];

/** ~16,000 images like the study: 941 per class x 17 = 15,997. */
export const STUDY_PER_CLASS = 941;
export const DEMO_WIDTH = 300;
export const DEMO_HEIGHT = 400;

/** Bump when the drawings change, so cached demo datasets are not mistaken for the new ones. */
export const DEMO_VERSION = 1;

/** A report's input as the demo catalog gives it after a Quick look, with one task left untrained. */
import { compareRoutes } from '../compare';
import type { ReportInput, ReportRunInput } from '../report/model';
import type { EpochResult } from '../runs';
import { compareThreeRoutes } from '../threeRoutes';

const spec = { family: 'model2', filters: 32, kernel1: 3, kernel2: 3, dense: 0, dropout: 0 } as const;

export function reportRun(
  id: string,
  valAccuracies: number[],
  test: number,
  cell = 0,
  repeat = 0,
): ReportRunInput & { epochs: EpochResult[] } {
  const best = valAccuracies.indexOf(Math.max(...valAccuracies));
  return {
    id,
    cell,
    repeat,
    status: 'done',
    spec,
    settings: { epochs: 3, batchSize: 64, learningRate: 0.001, patience: 2, flip: false, seed: 1 + repeat },
    epochs: valAccuracies.map((v, epoch) => ({
      epoch,
      loss: 1 - v / 2,
      accuracy: v,
      valLoss: 1 - v,
      valAccuracy: v,
      confusion: [
        [3, 1],
        [0, 4],
      ],
      seconds: 2,
      samplesPerSecond: 120,
    })),
    bestEpoch: best,
    stoppedEarly: false,
    params: 12_345,
    backend: 'wasm',
    test: {
      accuracy: test,
      confusion: [
        [4, 1],
        [1, 4],
      ],
    },
  };
}

export function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const pair = ['Glasses', 'Sunglasses'];
  const images = [
    {
      truth: ['Shoes', 'Male', 'Boots'],
      combined: ['Shoes', 'Male', 'Boots'],
      level2: 'Male',
      branch: ['Shoes', 'Male', 'Boots'],
    },
    {
      truth: ['Shoes', 'Female', 'Boots'],
      combined: ['Shoes', 'Male', 'Boots'],
      level2: 'Female',
      branch: ['Shoes', 'Female', 'Boots'],
    },
  ];
  return {
    dataset: {
      name: 'Demo <catalog>',
      images: 340,
      classes: 17,
      splitSizes: [272, 34, 34],
      skipped: 0,
      demo: true,
    },
    createdAt: '2026-12-02T05:00:00.000Z',
    notes: ['Backend: WebAssembly.'],
    tasks: [
      {
        task: { id: 'primary', name: 'Primary', classes: pair },
        runs: [reportRun('p1', [0.5, 0.9, 0.8], 0.95)],
        chosenRunId: 'p1',
        grids: [],
      },
      {
        task: { id: 'all:Glasses & Sunglasses', name: 'Glasses & Sunglasses', classes: pair },
        runs: [reportRun('g1', [0.6, 0.7], 0.7), reportRun('g2', [0.6, 0.8], 0.75, 0, 1)],
        chosenRunId: 'g2',
        grids: [
          {
            rows: [
              { label: 'Model 2: 32 filters', summary: { n: 2, mean: 0.75, sd: 0.07, low: 0.12, high: 1 } },
            ],
            noise: 'The 95% intervals of the leading cells overlap.',
          },
        ],
      },
      {
        task: { id: 'within:Shoes:Male', name: 'Shoes — Male types', classes: ['Boots', 'Others'] },
        runs: [],
        chosenRunId: null,
        grids: [],
      },
    ],
    comparisons: [
      {
        category: 'Shoes',
        result: {
          ...compareRoutes(images),
          category: 'Shoes',
          combinedTask: 'Shoes — all 11',
          hierarchicalTasks: ['Shoes — Female / Male', 'Shoes — Male types'],
          leaves: ['Male / Boots', 'Female / Boots'],
          confusion: {
            combined: [
              [1, 0],
              [1, 0],
            ],
            hierarchical: [
              [1, 0],
              [0, 1],
            ],
          },
        },
      },
      { category: 'Trousers & Jeans', result: null, reason: 'train Trousers & Jeans — Male types first.' },
    ],
    threeRoutes: compareThreeRoutes([
      {
        truth: ['Shoes', 'Male', 'Boots'],
        flat: ['Shoes', 'Male', 'Boots'],
        hierarchical: ['Shoes', 'Male', 'Boots'],
        combined: ['Shoes', 'Female', 'Boots'],
      },
      {
        truth: ['Glasses & Sunglasses', 'Glasses'],
        flat: ['Glasses & Sunglasses', 'Glasses'],
        hierarchical: ['Shoes', 'Male', 'Boots'],
        combined: ['Glasses & Sunglasses', 'Glasses'],
      },
    ]),
    ...overrides,
  };
}

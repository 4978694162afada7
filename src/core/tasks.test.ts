import { describe, expect, it } from 'vitest';
import { deriveTasks, flatTask } from './tasks';
import { layersOf, gridCells } from './models';
import { DEMO_CLASSES } from '../demo/taxonomy';
import { compareLabels } from './labels';

const studyClasses = DEMO_CLASSES.map((c) => c.path).sort(compareLabels);

describe('deriveTasks', () => {
  it("yields exactly the study's tasks on the study's tree, then the flat one", () => {
    const tasks = deriveTasks(studyClasses);
    expect(tasks.map((t) => [t.name, t.outputs.length])).toEqual([
      ['Primary', 3],
      ['Glasses & Sunglasses', 2],
      ['Shoes — all 11', 11],
      ['Shoes — Female / Male', 2],
      ['Shoes — Female types', 6],
      ['Shoes — Male types', 5],
      ['Trousers & Jeans — all 4', 4],
      ['Trousers & Jeans — Female / Male', 2],
      ['Trousers & Jeans — Female types', 2],
      ['Trousers & Jeans — Male types', 2],
      ['Flat (all 17 leaves)', 17],
    ]);
    expect(deriveTasks(studyClasses, { flat: false }).map((t) => t.name)).toEqual(
      tasks.slice(0, 10).map((t) => t.name),
    );
  });

  it('maps every dataset class to its output in each task, or leaves it out', () => {
    const tasks = deriveTasks(studyClasses);
    const primary = tasks[0]!;
    const heels = studyClasses.findIndex((c) => c.join('/') === 'Shoes/Female/High heels');
    expect(primary.outputs[primary.targetOf[heels]!]).toEqual(['Shoes']);
    const gender = tasks.find((t) => t.name === 'Shoes — Female / Male')!;
    expect(gender.outputs[gender.targetOf[heels]!]).toEqual(['Shoes', 'Female']);
    const male = tasks.find((t) => t.name === 'Shoes — Male types')!;
    expect(male.targetOf[heels]).toBe(-1);
    const glasses = tasks.find((t) => t.name === 'Glasses & Sunglasses')!;
    expect(glasses.targetOf.filter((t) => t >= 0)).toEqual([0, 1]);
  });

  it("uses the study's settings per kind of task", () => {
    const byName = Object.fromEntries(deriveTasks(studyClasses).map((t) => [t.name, t]));
    expect(byName['Primary']!.defaults).toMatchObject({
      epochs: 15,
      spec: { family: 'model2', filters: 32, kernel1: 3, kernel2: 3 },
    });
    expect(byName['Glasses & Sunglasses']!.defaults.epochs).toBe(15);
    const cells = (name: string) =>
      byName[name]!.presets.map((p) => [p.name, gridCells(p.base, p.grid).length, p.repeats]);
    expect(cells('Glasses & Sunglasses')).toEqual([['Filter size × filters', 4, 3]]);
    expect(cells('Primary')).toEqual([['Filter size × filters', 12, 3]]);
    expect(cells('Shoes — Female / Male')).toEqual([['Model 3 grid', 108, 3]]);
    expect(cells('Trousers & Jeans — Male types')).toEqual([['Model 3 grid', 18, 3]]);
    expect(cells('Trousers & Jeans — all 4')).toEqual([
      ['Model 3 grid', 72, 3],
      ['Model 1 grid', 12, 3],
      ['Model 2 grid', 24, 3],
      ['Dropout study', 10, 3],
    ]);
    expect(byName['Trousers & Jeans — all 4']!.presets[3]!.base).toMatchObject({
      family: 'dropout',
      dense: 1024,
    });
    // The study's shoes model: flips, and ten runs of one fixed model.
    expect(cells('Shoes — all 11')[0]).toEqual(['Repeated runs', 1, 10]);
    expect(byName['Shoes — all 11']!.defaults.flip).toBe(true);
    expect(byName['Trousers & Jeans — all 4']!.defaults.flip).toBe(false);
    expect(byName['Shoes — all 11']!.defaults).toMatchObject({
      epochs: 20,
      spec: { family: 'model3', dense: 512 },
    });
  });

  it('gives Primary plus one model per category on a two-level tree', () => {
    const tasks = deriveTasks(
      [
        ['Bags', 'Clutch'],
        ['Bags', 'Tote'],
        ['Hats', 'Cap'],
        ['Hats', 'Beanie'],
      ].sort(compareLabels),
    );
    expect(tasks.map((t) => t.name)).toEqual(['Primary', 'Bags', 'Hats', 'Flat (all 4 leaves)']);
  });

  it('makes no task from a category with a single leaf', () => {
    expect(
      deriveTasks([
        ['A', 'x'],
        ['B', 'y'],
        ['B', 'z'],
      ]).map((t) => t.name),
    ).toEqual(['Primary', 'B', 'Flat (all 3 leaves)']);
  });
});

describe('the flat task over every leaf', () => {
  it('is one model over all 17 leaves of the study tree, in the dataset order, unless left out', () => {
    expect(deriveTasks(studyClasses, { flat: false }).some((t) => t.kind === 'flat')).toBe(false);
    const tasks = deriveTasks(studyClasses);
    expect(tasks).toHaveLength(11);
    const flat = tasks.at(-1)!;
    expect(flat).toMatchObject({ id: 'flat', kind: 'flat', name: 'Flat (all 17 leaves)' });
    expect(flat.outputs).toEqual(studyClasses);
    expect(flat.targetOf).toEqual(studyClasses.map((_, i) => i));
    expect(flat.category).toBeUndefined();
  });

  it('trains like a combined model: Model 3, 20 epochs, no flips, its own grid', () => {
    const flat = flatTask(studyClasses)!;
    expect(flat.defaults).toEqual({
      spec: { family: 'model3', filters: 64, kernel1: 3, kernel2: 3, dense: 512, dropout: 0 },
      epochs: 20,
      flip: false,
    });
    expect(flat.presets.map((p) => [p.name, gridCells(p.base, p.grid).length, p.repeats])).toEqual([
      ['Model 3 grid', 18, 3],
      ['Repeated runs', 1, 10],
    ]);
    expect(gridCells(flat.presets[0]!.base, flat.presets[0]!.grid).map((c) => c.dense)).toContain(1024);
  });

  it('is left out where every category is one leaf: it would be Primary again', () => {
    const oneLevel = [['Class 0'], ['Class 1']];
    expect(flatTask(oneLevel)).toBeNull();
    expect(deriveTasks(oneLevel).map((t) => t.name)).toEqual(['Primary']);
  });

  it('needs two categories', () => {
    expect(
      flatTask([
        ['Bags', 'Clutch'],
        ['Bags', 'Tote'],
      ]),
    ).toBeNull();
    expect(
      deriveTasks([
        ['Bags', 'Clutch'],
        ['Bags', 'Tote'],
      ]).map((t) => t.name),
    ).toEqual(['Bags']);
    const small = flatTask([
      ['A', 'x'],
      ['B', 'y'],
      ['B', 'z'],
    ])!;
    expect(small.name).toBe('Flat (all 3 leaves)');
    expect(small.outputs).toHaveLength(3);
  });
});

describe('layersOf', () => {
  it("builds the study's families", () => {
    const base = { filters: 32, kernel1: 5, kernel2: 3, dense: 512, dropout: 0.3 };
    expect(layersOf({ ...base, family: 'model1' }, 4).map((l) => l.type)).toEqual([
      'conv2d',
      'flatten',
      'dense',
    ]);
    expect(layersOf({ ...base, family: 'model3' }, 4)).toEqual([
      { type: 'conv2d', filters: 32, kernel: 5 },
      { type: 'maxPool' },
      { type: 'conv2d', filters: 32, kernel: 3 },
      { type: 'maxPool' },
      { type: 'flatten' },
      { type: 'dense', units: 512, relu: true },
      { type: 'dense', units: 4, relu: false },
    ]);
    expect(layersOf({ ...base, family: 'dropout' }, 4)).toContainEqual({ type: 'dropout', rate: 0.3 });
  });
});

import { describe, expect, it } from 'vitest';
import { DEMO_CLASSES } from '../demo/taxonomy';
import { compareLabels } from './labels';
import {
  labelAlong,
  labelFlat,
  routeOfResult,
  threeRouteImage,
  threeRouteLabels,
  threeRouteMissing,
  threeRouteTasks,
} from './flatRoute';
import { labelImage } from './pipeline';
import { deriveTasks } from './tasks';

const classes = DEMO_CLASSES.map((c) => c.path).sort(compareLabels);
const tasks = deriveTasks(classes);
const task = (name: string) => tasks.find((t) => t.name === name)!;
const onehot = (name: string, out: string, p = 0.9) => {
  const t = task(name);
  const k = t.outputs.findIndex((o) => o.join('/') === out);
  if (k < 0) throw new Error(`${out} is not an output of ${name}`);
  return t.outputs.map((_, i) => (i === k ? p : (1 - p) / (t.outputs.length - 1)));
};

describe('the flat route', () => {
  const probs = new Map([
    [task('Flat (all 17 leaves)').id, onehot('Flat (all 17 leaves)', 'Shoes/Female/Boots', 0.42)],
    [task('Primary').id, onehot('Primary', 'Shoes', 0.97)],
    [task('Shoes — all 11').id, onehot('Shoes — all 11', 'Shoes/Male/Boots', 0.6)],
    [task('Shoes — Female / Male').id, onehot('Shoes — Female / Male', 'Shoes/Female', 0.8)],
    [task('Shoes — Female types').id, onehot('Shoes — Female types', 'Shoes/Female/High heels', 0.7)],
  ]);
  const probsOf = (id: string) => probs.get(id);

  it('labels with the flat model alone, skipping Primary', () => {
    const r = labelAlong('flat', tasks, classes, probsOf);
    expect(r).toMatchObject({ path: ['Shoes', 'Female', 'Boots'], complete: true, missing: null });
    expect(r.levels).toEqual([
      {
        taskId: 'flat',
        taskName: 'Flat (all 17 leaves)',
        label: ['Shoes', 'Female', 'Boots'],
        confidence: 0.42,
      },
    ]);
    expect(labelFlat(task('Flat (all 17 leaves)'), undefined).missing).toBe(
      'train Flat (all 17 leaves) first',
    );
    expect(labelFlat(undefined, [1]).missing).toMatch(/no flat model/);
  });

  it("leaves the pipeline's routes as they were", () => {
    const withoutFlat = deriveTasks(classes, { flat: false });
    for (const route of ['hierarchical', 'combined'] as const) {
      expect(labelAlong(() => route, tasks, classes, probsOf)).toEqual(
        labelImage(withoutFlat, classes, probsOf, () => route),
      );
    }
  });

  it('gives every route of one image', () => {
    const r = threeRouteLabels(tasks, classes, probsOf);
    expect(r.flat.path).toEqual(['Shoes', 'Female', 'Boots']);
    expect(r.hierarchical.path).toEqual(['Shoes', 'Female', 'High heels']);
    expect(r.combined.path).toEqual(['Shoes', 'Male', 'Boots']);
  });

  it('needs every task of the three routes trained, each once', () => {
    const names = threeRouteTasks(tasks, classes).map((t) => t.name);
    expect(names).toEqual([
      'Flat (all 17 leaves)',
      'Primary',
      'Glasses & Sunglasses',
      'Shoes — Female / Male',
      'Shoes — Female types',
      'Shoes — Male types',
      'Shoes — all 11',
      'Trousers & Jeans — Female / Male',
      'Trousers & Jeans — Female types',
      'Trousers & Jeans — Male types',
      'Trousers & Jeans — all 4',
    ]);
  });

  it('says in words what the three-way comparison still lacks', () => {
    const all = new Set(threeRouteTasks(tasks, classes).map((t) => t.id));
    expect(threeRouteMissing(tasks, classes, (id) => all.has(id))).toBeNull();
    expect(threeRouteMissing(tasks, classes, (id) => all.has(id) && id !== 'flat')).toBe(
      'Flat (all 17 leaves) has not been trained',
    );
    const noMale = (id: string) => all.has(id) && id !== task('Shoes — Male types').id;
    expect(threeRouteMissing(tasks, classes, noMale)).toBe(
      'The three-way comparison also needs Shoes — Male types trained',
    );
    const one = deriveTasks([
      ['Bags', 'Clutch'],
      ['Bags', 'Tote'],
    ]);
    expect(threeRouteMissing(one, [], () => true)).toMatch(/single category/);
  });

  it('names the route that labelled an image', () => {
    const r = labelAlong(() => 'hierarchical', tasks, classes, probsOf);
    expect(routeOfResult(false, tasks, r, () => 'hierarchical')).toBe('hierarchical');
    expect(routeOfResult(true, tasks, r, () => 'hierarchical')).toBe('flat');
    const glasses = { ...r, path: ['Glasses & Sunglasses', 'Glasses'] };
    expect(routeOfResult(false, tasks, glasses, () => 'hierarchical')).toBe('combined');
    expect(routeOfResult(false, tasks, { ...r, path: [] }, () => 'combined')).toBeNull();
  });
});

describe('a test image for the three-way comparison', () => {
  it('carries each route’s leaf, or names the model a route lacks', () => {
    const probs = new Map([
      [task('Flat (all 17 leaves)').id, onehot('Flat (all 17 leaves)', 'Glasses & Sunglasses/Glasses')],
      [task('Primary').id, onehot('Primary', 'Glasses & Sunglasses')],
      [task('Glasses & Sunglasses').id, onehot('Glasses & Sunglasses', 'Glasses & Sunglasses/Sunglasses')],
    ]);
    const truth = ['Glasses & Sunglasses', 'Sunglasses'];
    expect(threeRouteImage(tasks, classes, truth, (id) => probs.get(id))).toEqual({
      truth,
      flat: ['Glasses & Sunglasses', 'Glasses'],
      hierarchical: ['Glasses & Sunglasses', 'Sunglasses'],
      combined: ['Glasses & Sunglasses', 'Sunglasses'],
    });
    probs.delete(task('Flat (all 17 leaves)').id);
    expect(() => threeRouteImage(tasks, classes, truth, (id) => probs.get(id))).toThrow(
      'The flat route cannot label every image: train Flat (all 17 leaves) first.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { DEMO_CLASSES } from '../demo/taxonomy';
import { compareLabels } from './labels';
import { labelImage, routeTasks } from './pipeline';
import { deriveTasks } from './tasks';

const classes = DEMO_CLASSES.map((c) => c.path).sort(compareLabels);
const tasks = deriveTasks(classes);
const id = (name: string) => tasks.find((t) => t.name === name)!.id;
/** Probabilities putting `p` on the output named `out`. */
const onehot = (name: string, out: string, p = 0.9) => {
  const t = tasks.find((x) => x.name === name)!;
  const k = t.outputs.findIndex((o) => o.join('/') === out);
  if (k < 0) throw new Error(`${out} is not an output of ${name}`);
  return t.outputs.map((_, i) => (i === k ? p : (1 - p) / (t.outputs.length - 1)));
};

describe('labelling pipeline', () => {
  const probs = new Map([
    [id('Primary'), onehot('Primary', 'Shoes', 0.97)],
    [id('Shoes — all 11'), onehot('Shoes — all 11', 'Shoes/Male/Boots', 0.6)],
    [id('Shoes — Female / Male'), onehot('Shoes — Female / Male', 'Shoes/Female', 0.8)],
    [id('Shoes — Female types'), onehot('Shoes — Female types', 'Shoes/Female/High heels', 0.7)],
  ]);

  it('follows the hierarchical route down to the leaf, each level with its confidence', () => {
    const r = labelImage(
      tasks,
      classes,
      (t) => probs.get(t),
      () => 'hierarchical',
    );
    expect(r.path).toEqual(['Shoes', 'Female', 'High heels']);
    expect(r.complete).toBe(true);
    expect(r.levels.map((l) => [l.taskName, l.label.join('/'), l.confidence])).toEqual([
      ['Primary', 'Shoes', 0.97],
      ['Shoes — Female / Male', 'Shoes/Female', 0.8],
      ['Shoes — Female types', 'Shoes/Female/High heels', 0.7],
    ]);
  });

  it('or the combined route', () => {
    const r = labelImage(
      tasks,
      classes,
      (t) => probs.get(t),
      () => 'combined',
    );
    expect(r.path).toEqual(['Shoes', 'Male', 'Boots']);
    expect(r.levels.map((l) => l.taskName)).toEqual(['Primary', 'Shoes — all 11']);
  });

  it('names the missing model instead of guessing', () => {
    const male = new Map(probs);
    male.set(id('Shoes — Female / Male'), onehot('Shoes — Female / Male', 'Shoes/Male'));
    const r = labelImage(
      tasks,
      classes,
      (t) => male.get(t),
      () => 'hierarchical',
    );
    expect(r.missing).toBe('train Shoes — Male types first');
    expect(r.complete).toBe(false);
    expect(r.path).toEqual(['Shoes', 'Male']);
    expect(
      labelImage(
        tasks,
        classes,
        () => undefined,
        () => 'combined',
      ).missing,
    ).toBe('train Primary first');
  });

  it('labels a single-level category with its one model', () => {
    const g = new Map([
      [id('Primary'), onehot('Primary', 'Glasses & Sunglasses')],
      [id('Glasses & Sunglasses'), onehot('Glasses & Sunglasses', 'Glasses & Sunglasses/Sunglasses', 0.55)],
    ]);
    const r = labelImage(
      tasks,
      classes,
      (t) => g.get(t),
      () => 'hierarchical',
    );
    expect(r.path).toEqual(['Glasses & Sunglasses', 'Sunglasses']);
    expect(routeTasks(tasks, 'Shoes', 'hierarchical').map((t) => t.name)).toEqual([
      'Shoes — Female / Male',
      'Shoes — Female types',
      'Shoes — Male types',
    ]);
  });
});

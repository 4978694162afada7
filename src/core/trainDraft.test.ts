import { describe, expect, it } from 'vitest';
import { DEMO_CLASSES } from '../demo/taxonomy';
import { compareLabels } from './labels';
import { gridCells } from './models';
import { deriveTasks } from './tasks';
import {
  gridSize,
  newJob,
  parseGridSpec,
  parseValues,
  quickDraft,
  studyDraft,
  withPreset,
} from './trainDraft';

const tasks = deriveTasks(DEMO_CLASSES.map((c) => c.path).sort(compareLabels));
const tj = tasks.find((t) => t.name === 'Trousers & Jeans — all 4')!;

describe('drafts', () => {
  it("start from the study's settings, or small quick ones", () => {
    const d = studyDraft(tj);
    expect(d.settings).toMatchObject({
      epochs: 20,
      batchSize: 64,
      learningRate: 0.001,
      patience: 2,
      seed: 1,
    });
    expect(gridSize(d)).toBe(72);
    expect(quickDraft(tj).spec).toMatchObject({ filters: 8, dense: 32 });
    expect(quickDraft(tj).settings.epochs).toBe(3);
    const dropout = withPreset(tj, d, 3);
    expect(dropout.spec.family).toBe('dropout');
    expect(gridCells(dropout.spec, dropout.grid).map((s) => s.dropout)).toHaveLength(10);
  });

  it('keep Quick look of the flat model over every leaf as small as the others', () => {
    const flat = tasks.find((t) => t.kind === 'flat')!;
    expect(studyDraft(flat).spec).toMatchObject({ family: 'model3', filters: 64, dense: 512 });
    expect(quickDraft(flat).spec).toMatchObject({ family: 'model3', filters: 8, dense: 32 });
    expect(quickDraft(flat).settings).toMatchObject({ epochs: 3, flip: false });
  });

  it('parse grid values and specs, refusing nonsense', () => {
    expect(parseValues('3, 5 7')).toEqual([3, 5, 7]);
    expect(parseValues('0, 0.5', true)).toEqual([0, 0.5]);
    expect(parseValues('0, 3')).toBeNull();
    expect(parseValues('3, x')).toBeNull();
    expect(parseGridSpec('filters=32,64;kernel1=3,5')).toEqual({ filters: [32, 64], kernel1: [3, 5] });
    expect(() => parseGridSpec('filtrs=3')).toThrow(/unknown grid setting "filtrs"/);
    expect(() => parseGridSpec('filters=')).toThrow(/needs a comma-separated list/);
  });

  it('make one job for a run or a grid, with the seeds per repeat', () => {
    const d = { ...studyDraft(tj), grid: { filters: [8, 16] }, repeats: 2 };
    const single = newJob(tj, 'ds', d, 'single', 'auto');
    expect(single).toMatchObject({ repeats: 1, grid: {}, status: 'running', taskId: tj.id });
    const grid = newJob(tj, 'ds', d, 'grid', 'wasm');
    expect(grid).toMatchObject({ repeats: 2, grid: { filters: [8, 16] }, backend: 'wasm' });
    expect(grid.id).not.toBe(single.id);
  });
});

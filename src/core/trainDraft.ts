/** The settings a person edits for a task before training: model, training settings, grid and repeats. */
import type { BackendName } from './backendChoice';
import { gridCells, STUDY_TRAINING, type Grid, type ModelSpec, type TrainSettings } from './models';
import type { JobRecord } from './runs';
import type { Task } from './tasks';

export interface TaskDraft {
  spec: ModelSpec;
  settings: TrainSettings;
  /** Index into the task's presets of the grid last loaded. */
  preset: number;
  grid: Grid;
  repeats: number;
}

const cloneGrid = (g: Grid): Grid =>
  Object.fromEntries(Object.entries(g).map(([k, v]) => [k, [...(v as number[])]])) as Grid;

/** Loads one of the task's study grids: its base model, values and repeats. */
export function withPreset(task: Task, draft: TaskDraft, index: number): TaskDraft {
  const p = task.presets[index];
  if (!p) return draft;
  return { ...draft, spec: { ...p.base }, preset: index, grid: cloneGrid(p.grid), repeats: p.repeats };
}

export function studyDraft(task: Task): TaskDraft {
  const p = task.presets[0]!;
  return {
    spec: { ...task.defaults.spec },
    settings: { ...STUDY_TRAINING, epochs: task.defaults.epochs, flip: task.defaults.flip },
    preset: 0,
    grid: cloneGrid(p.grid),
    repeats: p.repeats,
  };
}

/** Small models and few epochs: a first look in a minute on a machine without a GPU. */
export function quickDraft(task: Task): TaskDraft {
  const d = studyDraft(task);
  const dense = d.spec.family === 'model3' || d.spec.family === 'dropout' ? 32 : d.spec.dense;
  return {
    ...d,
    spec: { ...d.spec, filters: 8, kernel1: 3, kernel2: 3, dense },
    settings: { ...d.settings, epochs: 3 },
  };
}

/** Parses "3, 5, 7" into numbers; null when any entry is not a positive number (0 allowed for dropout). */
export function parseValues(text: string, allowZero = false): number[] | null {
  const parts = text
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  const values = parts.map(Number);
  return values.every((v) => Number.isFinite(v) && (v > 0 || (allowZero && v === 0))) ? values : null;
}

let counter = 0;

export function newJob(
  task: Task,
  datasetId: string,
  draft: TaskDraft,
  kind: 'single' | 'grid',
  backend: BackendName | 'auto',
  now = new Date(),
): JobRecord {
  const grid = kind === 'grid' ? draft.grid : {};
  return {
    id: `${now.getTime().toString(36)}${(counter++).toString(36)}`,
    datasetId,
    taskId: task.id,
    taskName: task.name,
    base: { ...draft.spec },
    grid: cloneGrid(grid),
    repeats: kind === 'grid' ? draft.repeats : 1,
    settings: { ...draft.settings },
    runIds: [],
    status: 'running',
    createdAt: now.toISOString(),
    backend,
  };
}

export const gridSize = (draft: TaskDraft) => gridCells(draft.spec, draft.grid).length;

const GRID_KEYS = ['filters', 'kernel1', 'kernel2', 'dense', 'dropout'] as const;

/** A grid written as "filters=32,64;kernel1=3,5" (the command line's --grid). Throws with the reason. */
export function parseGridSpec(spec: string): Grid {
  const grid: Grid = {};
  for (const part of spec
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [key, values] = part.split('=').map((x) => x.trim());
    if (!GRID_KEYS.includes(key as (typeof GRID_KEYS)[number]))
      throw new Error(`unknown grid setting "${key}" (use ${GRID_KEYS.join(', ')})`);
    const parsed = parseValues(values ?? '', key === 'dropout');
    if (!parsed) throw new Error(`"${part}" needs a comma-separated list of numbers`);
    grid[key as keyof Grid] = parsed;
  }
  if (!Object.keys(grid).length) throw new Error(`"${spec}" names no grid settings`);
  return grid;
}

import { describe, expect, it } from 'vitest';
import { planTrainRuns, type TrainPlanOptions } from './trainPlan';

const defaults: TrainPlanOptions = {
  backends: ['wasm', 'wasm2', 'webgl', 'webgpu'],
  models: '',
  profile: false,
  noHelpers: false,
  stock: false,
  noCounts: false,
  countsOnly: false,
  all: false,
  timeSoftware: false,
  wasmReads: false,
  unfused: false,
  labQuery: '',
};
const swiftShader = new Set(['webgl', 'webgpu']);
const runs = (o: Partial<TrainPlanOptions>, software: Set<string> = swiftShader) =>
  planTrainRuns({ ...defaults, ...o }, software).configs.map(
    (c) =>
      `${c.name}${c.query.includes('no-timing') ? ' (counted)' : c.query.includes('counts') ? ' (timed, counted)' : ''}`,
  );

describe('bench:train’s runs', () => {
  it('by default times WASM and only counts a software GPU, for the small model', () => {
    expect(runs({})).toEqual([
      'wasm small',
      'wasm big',
      'wasm2 small',
      'wasm2 big',
      'webgl small (counted)',
      'webgpu small (counted)',
    ]);
    expect(planTrainRuns(defaults, swiftShader).notes).toEqual([
      'webgl        a software GPU here: small counted, not timed (--time-software times it; --all counts big too)',
      'webgpu       a software GPU here: small counted, not timed (--time-software times it; --all counts big too)',
    ]);
  });

  it('times a software GPU on request, and counts the big model where asked', () => {
    expect(runs({ backends: ['webgpu'], timeSoftware: true })).toEqual([
      'webgpu small (timed, counted)',
      'webgpu big (counted)',
    ]);
    expect(runs({ backends: ['webgpu'], stock: true, countsOnly: true, models: 'small,big' })).toEqual([
      'webgpu small (counted)',
      'webgpu stock small (counted)',
      'webgpu big (counted)',
      'webgpu stock big (counted)',
    ]);
    expect(runs({ backends: ['webgl'], all: true })).toEqual([
      'webgl small (counted)',
      'webgl big (counted)',
    ]);
  });

  it('times a hardware GPU like WASM, both models, three batches', () => {
    const plan = planTrainRuns({ ...defaults, backends: ['webgpu'] }, new Set());
    expect(plan.notes).toEqual([]);
    expect(plan.configs.map((c) => c.name)).toEqual(['webgpu small', 'webgpu big']);
    expect(plan.configs.every((c) => c.query.includes('batches=3') && !c.query.includes('no-timing'))).toBe(
      true,
    );
  });

  it('keeps --backends and --models as given', () => {
    expect(runs({ backends: ['wasm2'], models: 'big', profile: true })).toEqual(['wasm2 big']);
    expect(
      planTrainRuns({ ...defaults, backends: ['wasm2'], profile: true }, swiftShader).configs[0]!.query,
    ).toBe('?backend=wasm&threads=2&model=small&batches=3&profile');
  });
});

import { describe, expect, it } from 'vitest';
import { chosenRun } from './chosenRun';
import type { RunRecord } from './runs';

const test = { loss: 0.5, accuracy: 0.7, confusion: [], items: [], predictions: [], confidence: [] };

function run(id: string, valAccuracy: number, over: Partial<RunRecord> = {}): RunRecord {
  const epoch = (e: number, acc: number) => ({
    epoch: e,
    loss: 1,
    accuracy: 0.5,
    valLoss: 1 - acc,
    valAccuracy: acc,
    confusion: [],
    seconds: 1,
    samplesPerSecond: 1,
  });
  return {
    id,
    taskId: 't',
    status: 'done',
    // The kept epoch decides, not the last one.
    epochs: [epoch(0, valAccuracy), epoch(1, valAccuracy - 0.2)],
    bestEpoch: 0,
    test,
    modelSaved: true,
    ...over,
  } as RunRecord;
}

describe('chosenRun', () => {
  it('takes the best validation accuracy of the kept epoch', () => {
    expect(chosenRun([run('a', 0.6), run('b', 0.8), run('c', 0.7)])?.id).toBe('b');
  });

  it('skips runs that did not finish, have no test result, or whose model was not saved (a full disk)', () => {
    const runs = [
      run('ok', 0.6),
      run('stopped', 0.9, { status: 'stopped' }),
      run('interrupted', 0.9, { status: 'interrupted' }),
      run('failed', 0.9, { status: 'failed' }),
      run('untested', 0.9, { test: null }),
      run('unsaved', 0.95, { modelSaved: false, error: 'The browser storage for this site is full' }),
    ];
    expect(chosenRun(runs)?.id).toBe('ok');
  });

  it('is null when no run counts, and keeps to the named task', () => {
    expect(chosenRun([])).toBeNull();
    expect(chosenRun([run('unsaved', 0.9, { modelSaved: false })])).toBeNull();
    const other = run('other', 0.99, { taskId: 'u' });
    expect(chosenRun([run('a', 0.5), other], 't')?.id).toBe('a');
    expect(chosenRun([run('a', 0.5), other], 'u')?.id).toBe('other');
  });

  it('gives a tie to the run that started first', () => {
    expect(chosenRun([run('first', 0.8), run('second', 0.8)])?.id).toBe('first');
  });
});

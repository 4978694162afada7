import { describe, expect, it } from 'vitest';
import { ImageStore } from '../core/dataset';
import { Lab } from '../lab/lab';
import { fakeDeps, folder } from '../lab/testing/fakes';
import { createLabStore } from './store';

describe('the page store', () => {
  it("follows the Lab's state and carries its methods, bound once", async () => {
    const lab = new Lab(fakeDeps().deps);
    const store = createLabStore(lab);
    const { importFolder, startUp } = store.getState();
    const phases: string[] = [];
    store.subscribe((s) => phases.push(s.phase));
    await importFolder(folder('Photos', { 'A/1.jpg': 'a', 'B/1.jpg': 'b' }));
    expect(store.getState().dataset?.name).toBe('Photos');
    expect(phases).toContain('importing');
    expect(phases.at(-1)).toBe('ready');
    expect(store.getState().importFolder).toBe(importFolder);
    expect(store.getState().startUp).toBe(startUp);
    // Plain data: the open dataset's pixels stay in the Lab.
    const { dataset } = store.getState();
    expect(Object.values({ ...store.getState(), ...dataset }).some((v) => v instanceof ImageStore)).toBe(
      false,
    );
    expect(lab.data.opened?.images.count).toBe(2);
  });
});

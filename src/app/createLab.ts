/** The composition root's Lab: this browser's IndexedDB stores, workers, file pickers, localStorage and clock. */
import * as cache from '../data/cache';
import * as runStore from '../data/runStore';
import { hasDirectoryPicker, pickDirectory, walkDataTransfer, walkFileList } from '../data/walk';
import type { LabStorage, Settings } from '../lab/deps';
import { Lab } from '../lab/lab';
import { demoCacheKey, DEMO_SIZES } from '../services/demo';
import { workerHost } from './workers';

const storage: LabStorage = { ...cache, ...runStore };

const settings: Settings = {
  get(key) {
    try {
      return globalThis.localStorage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      if (value === null) globalThis.localStorage?.removeItem(key);
      else globalThis.localStorage?.setItem(key, value);
    } catch {
      // Private mode without storage: the value lasts for this visit.
    }
  },
};

export function createLab(): Lab {
  return new Lab({
    storage,
    host: workerHost,
    files: { hasDirectoryPicker, pickDirectory, walkDataTransfer, walkFileList },
    demo: { sizes: DEMO_SIZES, cacheKey: demoCacheKey },
    settings,
    clock: {
      now: () => performance.now(),
      date: () => new Date(),
      mark: (name) => void performance.mark(name),
    },
  });
}

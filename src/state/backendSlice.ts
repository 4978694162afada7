/** The training backend the lab chose, and why (plain data for the header badge); timing the backends on request. */
import type { StateCreator } from 'zustand';
import type { BackendChoice } from '../core/backendChoice';
import { detectBackend, timeEveryBackend } from '../services/backends';
import { retellBackendChoice } from '../services/training';

export interface BackendSlice {
  backend: BackendChoice | null;
  backendError: string | null;
  /** What the lab is doing about the choice right now ("Timing WebGL against WASM…"), or null. */
  backendStatus: string | null;
  detectBackend(): Promise<void>;
  /** Times every backend this browser offers and keeps the fastest (remembered on this device). */
  timeBackends(): Promise<void>;
}

export const createBackendSlice: StateCreator<BackendSlice, [], [], BackendSlice> = (set, get) => {
  const decide = async (how: (onStatus: (s: string) => void) => Promise<BackendChoice>) => {
    try {
      const backend = await how((backendStatus) => set({ backendStatus }));
      set({ backend, backendError: null, backendStatus: null });
    } catch (e) {
      set({
        backendStatus: null,
        backendError: `Could not check this browser's GPU: ${(e as Error)?.message ?? String(e)}`,
      });
    }
  };
  return {
    backend: null,
    backendError: null,
    backendStatus: null,
    detectBackend: () => decide(detectBackend),
    async timeBackends() {
      if (get().backendStatus) return;
      await decide(timeEveryBackend);
      retellBackendChoice();
    },
  };
};

/** The training backend the lab chose, and why (plain data for the header badge). */
import type { StateCreator } from 'zustand';
import type { BackendChoice } from '../core/backendChoice';
import { detectBackend } from '../services/backends';

export interface BackendSlice {
  backend: BackendChoice | null;
  backendError: string | null;
  detectBackend(): Promise<void>;
}

export const createBackendSlice: StateCreator<BackendSlice, [], [], BackendSlice> = (set) => ({
  backend: null,
  backendError: null,
  async detectBackend() {
    try {
      set({ backend: await detectBackend(), backendError: null });
    } catch (e) {
      set({ backendError: `Could not check this browser's GPU: ${(e as Error)?.message ?? String(e)}` });
    }
  },
});

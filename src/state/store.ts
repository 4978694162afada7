/** The lab's store, built from slices (one per step). */
import { create } from 'zustand';
import { createBackendSlice, type BackendSlice } from './backendSlice';
import { createDataSlice, type DataSlice } from './dataSlice';

export type LabState = DataSlice & BackendSlice;

export const useLab = create<LabState>()((...a) => ({
  ...createDataSlice(...a),
  ...createBackendSlice(...a),
}));

export { loadedDataset } from './dataSlice';

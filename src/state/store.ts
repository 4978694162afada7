/** The lab's store, built from slices (one per step). */
import { create } from 'zustand';
import { createBackendSlice, type BackendSlice } from './backendSlice';
import { createDataSlice, type DataSlice } from './dataSlice';
import { createTrainSlice, type TrainSlice } from './trainSlice';

export type LabState = DataSlice & BackendSlice & TrainSlice;

export const useLab = create<LabState>()((...a) => ({
  ...createDataSlice(...a),
  ...createBackendSlice(...a),
  ...createTrainSlice(...a),
}));

export { loadedDataset } from './dataSlice';

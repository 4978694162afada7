/** The lab's store, built from slices (one per step). */
import { create } from 'zustand';
import { createBackendSlice, type BackendSlice } from './backendSlice';
import { createDataSlice, type DataSlice } from './dataSlice';
import { createLabelSlice, type LabelSlice } from './labelSlice';
import { createTrainSlice, type TrainSlice } from './trainSlice';

export type LabState = DataSlice & BackendSlice & TrainSlice & LabelSlice;

export const useLab = create<LabState>()((...a) => ({
  ...createDataSlice(...a),
  ...createBackendSlice(...a),
  ...createTrainSlice(...a),
  ...createLabelSlice(...a),
}));

export { loadedDataset } from './dataSlice';
export { currentLabeller, routeFor } from './labelSlice';
export type { CategoryComparison } from '../services/labelling';

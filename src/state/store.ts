/** The lab's store, built from slices (one per step). */
import { create } from 'zustand';
import { createDataSlice, type DataSlice } from './dataSlice';

export type LabState = DataSlice;

export const useLab = create<LabState>()((...a) => ({
  ...createDataSlice(...a),
}));

export { loadedDataset } from './dataSlice';

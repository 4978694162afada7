/**
 * The page's store: a zustand store that follows the Lab's state (plain data) and carries its actions; React
 * components read it through useLab. The composition root (src/app) creates the Lab and hands it to LabProvider.
 */
import {
  createContext,
  createElement,
  useContext,
  useMemo,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Lab, LabSnapshot } from '../lab/lab';
import { labActions, type LabActions } from './actions';

export type LabState = LabSnapshot & LabActions;

export type { DatasetView, Thumbnails } from '../lab/datasetView';
export type { LiveRun, LivePoint } from '../lab/liveRun';
export type { CategoryComparison } from '../lab/labelling';
export type { Saliency, SaliencyMethod } from '../lab/deps';
export type { LoadedDataset } from '../lab/importer';
export type { ThreeRoutesResult } from '../lab/labelling';
export { routeFor, usesFlat } from '../lab/labellingSession';

/** A store that follows `lab` (it subscribes for the store's lifetime: one per page). */
export function createLabStore(lab: Lab): StoreApi<LabState> {
  const actions = labActions(lab);
  const store = createStore<LabState>()(() => ({ ...lab.getState(), ...actions }));
  lab.subscribe((s) => store.setState(s));
  return store;
}

const LabContext = createContext<{ lab: Lab; store: StoreApi<LabState> } | null>(null);

export function LabProvider({
  lab,
  store,
  children,
}: {
  lab: Lab;
  store: StoreApi<LabState>;
  children: ReactNode;
}) {
  const value = useMemo(() => ({ lab, store }), [lab, store]);
  return createElement(LabContext.Provider, { value }, children);
}

function useLabContext() {
  const c = useContext(LabContext);
  if (!c) throw new Error('useLab needs a LabProvider above it.');
  return c;
}

export function useLab(): LabState;
export function useLab<T>(selector: (s: LabState) => T): T;
export function useLab<T>(selector?: (s: LabState) => T): T | LabState {
  const { store } = useLabContext();
  return useStore(store, selector ?? ((s: LabState) => s as unknown as T));
}

/** The open dataset's manifest and pixels (kept in the Lab, outside the store), or null. */
export function useOpenDataset() {
  const { lab } = useLabContext();
  // Follows the dataset shown, so a component re-renders when another one opens.
  useSyncExternalStore(
    (notify) => lab.subscribe(notify),
    () => lab.getState().dataset,
  );
  return lab.data.opened;
}

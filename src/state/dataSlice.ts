/** The data step's state: import options, progress, the open dataset and the cached ones. Plain data only. */
import type { StateCreator } from 'zustand';
import type { DatasetSummary, DatasetSource } from '../core/dataset';
import type { Progress } from '../core/format';
import type { ResizePolicy } from '../core/image';
import type { SkippedFile } from '../core/labels';
import { DEFAULT_SPLIT, type SplitSpec } from '../core/split';
import { demoCacheKey, drawDemo } from '../services/demo';
import { exportNpzZip, importNpz, isNpzName, NeedClassNames } from '../services/npz';
import { describeSweep, viewOf, type DatasetView } from './datasetView';

export type { DatasetView, Thumbnails } from './datasetView';
import {
  deleteDataset,
  hasDataset,
  ImportProblem,
  importWalked,
  listDatasets,
  sweep,
  openCached,
  pickDirectory,
  hasDirectoryPicker,
  walkDataTransfer,
  walkFileList,
  type LoadedDataset,
  type Walked,
} from '../services/importer';

export interface DataSlice {
  resize: ResizePolicy;
  /** Decoder workers; undefined = one per core, at most 4. */
  poolSize?: number;
  split: SplitSpec;
  phase: 'idle' | 'importing' | 'ready';
  progress: Progress | null;
  /** What the progress bar is counting. */
  progressLabel: string;
  /** What went wrong last, in words for a person. */
  error: string | null;
  /** Files the last failed import skipped, so nothing is silently lost. */
  failedSkipped: SkippedFile[];
  dataset: DatasetView | null;
  cached: DatasetSummary[];
  setResize(policy: ResizePolicy): void;
  setSplit(spec: SplitSpec): void;
  importFolder(walked: Walked, source?: DatasetSource, cacheKey?: string): Promise<void>;
  /** Call synchronously inside the drop handler: the browser empties the items afterwards. */
  importDrop(items: DataTransferItemList): Promise<void>;
  importFileList(files: FileList | File[]): Promise<void>;
  importPicked(): Promise<void>;
  /** Draws the demo catalog (or opens it from the cache) and imports it like a folder. */
  importDemo(perClass: number, seed?: number): Promise<void>;
  cancelImport(): void;
  openDataset(id: string): Promise<void>;
  deleteCached(id: string): Promise<void>;
  refreshCached(): Promise<void>;
  /** Once per page load: tidies what a reload or an old version left behind, then lists the cache. */
  startUp(): Promise<void>;
  /** Something that happened while the lab was closed, in words (dismissible). */
  notice: string | null;
  dismissNotice(): void;
  /** Imports cut off by a reload that choosing the same folder again will continue. */
  unfinished: { id: string; name: string; images: number }[];
  discardUnfinished(): Promise<void>;
  closeDataset(): void;
  /** NPZ files waiting for class names (they carry none and no sidecar JSON came with them). */
  npzPending: { files: File[]; group: string; classCount: number; preset: string | null } | null;
  importNpz(files: File[], classes?: string[][]): Promise<void>;
  cancelNpz(): void;
  exportNpz(): Promise<Blob>;
}

let controller: AbortController | null = null;
/** The pixels of the open dataset live here, outside the store, for the training step to use. */
let openImages: LoadedDataset | null = null;
export const loadedDataset = () => openImages;

function messageOf(e: unknown): string {
  if (e instanceof DOMException && e.name === 'AbortError') return e.message || 'Import cancelled.';
  if (e instanceof Error) return e.message;
  return String(e);
}

export const createDataSlice: StateCreator<DataSlice, [], [], DataSlice> = (set, get) => ({
  resize: 'letterbox',
  split: DEFAULT_SPLIT,
  phase: 'idle',
  progress: null,
  progressLabel: 'Importing photos',
  error: null,
  failedSkipped: [],
  dataset: null,
  cached: [],
  setResize: (resize) => set({ resize }),
  setSplit: (split) => set({ split }),

  npzPending: null,
  cancelNpz: () => set({ npzPending: null }),
  async importNpz(files, classes) {
    set({
      phase: 'importing',
      progress: null,
      progressLabel: 'Reading NPZ files',
      error: null,
      npzPending: null,
    });
    try {
      const loaded = await importNpz(files, { split: get().split, classes }, (progress) => set({ progress }));
      openImages = loaded;
      set({ phase: 'ready', dataset: viewOf(loaded), progress: null });
    } catch (e) {
      if (e instanceof NeedClassNames)
        set({ npzPending: { files, group: e.group, classCount: e.classCount, preset: e.preset } });
      else set({ error: messageOf(e) });
      set({ phase: get().dataset ? 'ready' : 'idle', progress: null });
    } finally {
      void get().refreshCached();
    }
  },
  async exportNpz() {
    if (!openImages) throw new Error('Open a dataset first.');
    return exportNpzZip(openImages);
  },

  async importFolder(walked, source = 'folder', cacheKey?: string) {
    if (walked.files.some((f) => isNpzName(f.path))) return get().importNpz(walked.files.map((f) => f.file));
    controller?.abort();
    const mine = (controller = new AbortController());
    set({
      phase: 'importing',
      progress: null,
      progressLabel: 'Importing photos',
      error: null,
      failedSkipped: [],
    });
    try {
      const loaded = await importWalked(
        walked,
        { resize: get().resize, split: get().split, source, cacheKey, poolSize: get().poolSize },
        (progress, label) => set(label ? { progress, progressLabel: label } : { progress }),
        mine.signal,
      );
      openImages = loaded;
      const view = viewOf(loaded);
      performance.mark('lab:view-built');
      set({ phase: 'ready', dataset: view, progress: null });
    } catch (e) {
      set({
        phase: get().dataset ? 'ready' : 'idle',
        error: messageOf(e),
        failedSkipped: e instanceof ImportProblem ? e.skipped : [],
        progress: null,
      });
    } finally {
      if (controller === mine) controller = null;
      void get().refreshCached();
    }
  },

  async importDrop(items) {
    const walking = walkDataTransfer(items);
    set({ phase: 'importing', progress: null, error: null });
    try {
      await get().importFolder(await walking);
    } catch (e) {
      set({
        phase: get().dataset ? 'ready' : 'idle',
        error: `Could not read the dropped folder: ${messageOf(e)}`,
      });
    }
  },

  importFileList(files) {
    performance.mark('lab:files-chosen');
    const walked = walkFileList(files);
    performance.mark('lab:walked');
    return get().importFolder(walked);
  },

  async importPicked() {
    try {
      const walked = hasDirectoryPicker() ? await pickDirectory() : null;
      if (walked) await get().importFolder(walked);
    } catch (e) {
      set({ error: `Could not read the chosen folder: ${messageOf(e)}` });
    }
  },

  async importDemo(perClass, seed = 1) {
    const key = demoCacheKey(perClass, seed, get().resize);
    if (await hasDataset(key)) {
      await get().openDataset(key);
      if (get().dataset?.id === key) return;
    }
    controller?.abort();
    const mine = (controller = new AbortController());
    set({
      phase: 'importing',
      progress: null,
      progressLabel: 'Drawing the demo catalog',
      error: null,
      failedSkipped: [],
    });
    try {
      const walked = await drawDemo(perClass, seed, (progress) => set({ progress }), mine.signal);
      if (controller === mine) controller = null;
      await get().importFolder(walked, 'demo', key);
    } catch (e) {
      set({ phase: get().dataset ? 'ready' : 'idle', error: messageOf(e), progress: null });
      if (controller === mine) controller = null;
    }
  },

  cancelImport: () => controller?.abort(),

  async openDataset(id) {
    set({ error: null });
    const loaded = await openCached(id).catch(() => null);
    if (!loaded) {
      set({ error: 'That cached dataset could not be read; it was removed. Import the folder again.' });
      await deleteDataset(id).catch(() => undefined);
      await get().refreshCached();
      return;
    }
    openImages = loaded;
    set({ phase: 'ready', dataset: viewOf(loaded) });
  },

  async deleteCached(id) {
    await deleteDataset(id);
    if (get().dataset?.id === id) {
      openImages = null;
      set({ dataset: null, phase: 'idle' });
    }
    await get().refreshCached();
  },

  async refreshCached() {
    set({ cached: await listDatasets().catch(() => []) });
  },
  notice: null,
  dismissNotice: () => set({ notice: null }),
  unfinished: [],
  async discardUnfinished() {
    for (const u of get().unfinished) await deleteDataset(u.id).catch(() => undefined);
    set({ unfinished: [], notice: null });
  },
  async startUp() {
    const report = await sweep().catch(() => null);
    if (report)
      set({
        notice: describeSweep(report),
        unfinished: report.resumable.map((r) => ({ id: r.id, name: r.name, images: r.images })),
      });
    await get().refreshCached();
  },

  closeDataset: () => set({ dataset: null, phase: 'idle', error: null }),
});

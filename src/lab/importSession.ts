/**
 * The data step: importing a folder, a drop, the demo catalog or NPZ files; the open dataset (its pixels stay
 * here, for training and labelling); the cached datasets; start-up housekeeping. One import at a time: a new one
 * cancels the one before.
 */
import type { DatasetSummary, DatasetSource } from '../core/dataset';
import type { Progress } from '../core/format';
import type { ResizePolicy } from '../core/image';
import type { SkippedFile } from '../core/labels';
import { DEFAULT_SPLIT, type SplitSpec } from '../core/split';
import { describeSweep, viewOf, type DatasetView } from './datasetView';
import type { LabDeps, Walked } from './deps';
import { ImportProblem, importWalked, openCached, type LoadedDataset } from './importer';
import { exportNpzZip, importNpz, isNpzName, NeedClassNames } from './npz';
import { Observable } from './observable';

export interface ImportState {
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
  /** Something that happened while the lab was closed, in words (dismissible). */
  notice: string | null;
  /** Imports cut off by a reload that choosing the same folder again will continue. */
  unfinished: { id: string; name: string; images: number }[];
  /** NPZ files waiting for class names (they carry none and no sidecar JSON came with them). */
  npzPending: { files: File[]; group: string; classCount: number; preset: string | null } | null;
  /** The demo catalog's sizes, and whether this browser has a folder picker (constants of this page). */
  demoSizes: readonly { perClass: number; label: string }[];
  canPickDirectory: boolean;
}

function messageOf(e: unknown): string {
  if (e instanceof DOMException && e.name === 'AbortError') return e.message || 'Import cancelled.';
  if (e instanceof Error) return e.message;
  return String(e);
}

export class ImportSession {
  readonly state: Observable<ImportState>;
  private controller: AbortController | null = null;
  /** The open dataset's pixels and manifest (the state holds only what the page shows). */
  private open: LoadedDataset | null = null;

  constructor(private readonly deps: LabDeps) {
    this.state = new Observable<ImportState>({
      resize: 'letterbox',
      split: DEFAULT_SPLIT,
      phase: 'idle',
      progress: null,
      progressLabel: 'Importing photos',
      error: null,
      failedSkipped: [],
      dataset: null,
      cached: [],
      notice: null,
      unfinished: [],
      npzPending: null,
      demoSizes: deps.demo.sizes,
      canPickDirectory: deps.files.hasDirectoryPicker(),
    });
  }

  private get s() {
    return this.state.get();
  }
  private set(patch: Partial<ImportState>) {
    this.state.set(patch);
  }

  /** The open dataset (manifest and pixels), or null. */
  get opened(): LoadedDataset | null {
    return this.open && this.s.dataset?.id === this.open.manifest.id ? this.open : null;
  }

  private show(loaded: LoadedDataset) {
    this.open = loaded;
    const dataset = viewOf(loaded);
    this.deps.clock.mark?.('lab:view-built');
    this.set({ phase: 'ready', dataset, progress: null });
  }

  private idleOrReady() {
    return this.s.dataset ? 'ready' : 'idle';
  }

  setResize(resize: ResizePolicy) {
    this.set({ resize });
  }
  setSplit(split: SplitSpec) {
    this.set({ split });
  }
  setPoolSize(poolSize: number | undefined) {
    this.set({ poolSize });
  }
  /** An error from something the page did with the dataset (a download), shown where import errors are. */
  showError(error: string | null) {
    this.set({ error });
  }

  cancelNpz() {
    this.set({ npzPending: null });
  }

  async importNpz(files: File[], classes?: string[][]): Promise<void> {
    this.set({
      phase: 'importing',
      progress: null,
      progressLabel: 'Reading NPZ files',
      error: null,
      npzPending: null,
    });
    try {
      this.show(
        await importNpz(this.deps, files, { split: this.s.split, classes }, (progress) =>
          this.set({ progress }),
        ),
      );
    } catch (e) {
      if (e instanceof NeedClassNames)
        this.set({ npzPending: { files, group: e.group, classCount: e.classCount, preset: e.preset } });
      else this.set({ error: messageOf(e) });
      this.set({ phase: this.idleOrReady(), progress: null });
    } finally {
      void this.refreshCached();
    }
  }

  async exportNpz(): Promise<Blob> {
    const open = this.opened;
    if (!open) throw new Error('Open a dataset first.');
    return exportNpzZip(open);
  }

  async importFolder(walked: Walked, source: DatasetSource = 'folder', cacheKey?: string): Promise<void> {
    if (walked.files.some((f) => isNpzName(f.path))) return this.importNpz(walked.files.map((f) => f.file));
    this.controller?.abort();
    const mine = (this.controller = new AbortController());
    this.set({
      phase: 'importing',
      progress: null,
      progressLabel: 'Importing photos',
      error: null,
      failedSkipped: [],
    });
    try {
      const { resize, split, poolSize } = this.s;
      const loaded = await importWalked(
        this.deps,
        walked,
        { resize, split, source, cacheKey, poolSize },
        (progress, label) => this.set(label ? { progress, progressLabel: label } : { progress }),
        mine.signal,
      );
      this.show(loaded);
    } catch (e) {
      this.set({
        phase: this.idleOrReady(),
        error: messageOf(e),
        failedSkipped: e instanceof ImportProblem ? e.skipped : [],
        progress: null,
      });
    } finally {
      if (this.controller === mine) this.controller = null;
      void this.refreshCached();
    }
  }

  /** Call synchronously inside the drop handler: the browser empties the items afterwards. */
  async importDrop(items: DataTransferItemList): Promise<void> {
    const walking = this.deps.files.walkDataTransfer(items);
    this.set({ phase: 'importing', progress: null, error: null });
    try {
      await this.importFolder(await walking);
    } catch (e) {
      this.set({ phase: this.idleOrReady(), error: `Could not read the dropped folder: ${messageOf(e)}` });
    }
  }

  importFileList(files: FileList | File[]): Promise<void> {
    this.deps.clock.mark?.('lab:files-chosen');
    const walked = this.deps.files.walkFileList(files);
    this.deps.clock.mark?.('lab:walked');
    return this.importFolder(walked);
  }

  async importPicked(): Promise<void> {
    try {
      const walked = this.deps.files.hasDirectoryPicker() ? await this.deps.files.pickDirectory() : null;
      if (walked) await this.importFolder(walked);
    } catch (e) {
      this.set({ error: `Could not read the chosen folder: ${messageOf(e)}` });
    }
  }

  /** Draws the demo catalog (or opens it from the cache) and imports it like a folder. */
  async importDemo(perClass: number, seed = 1): Promise<void> {
    const key = this.deps.demo.cacheKey(perClass, seed, this.s.resize);
    if (await this.deps.storage.hasDataset(key)) {
      await this.openDataset(key);
      if (this.s.dataset?.id === key) return;
    }
    this.controller?.abort();
    const mine = (this.controller = new AbortController());
    this.set({
      phase: 'importing',
      progress: null,
      progressLabel: 'Drawing the demo catalog',
      error: null,
      failedSkipped: [],
    });
    try {
      const walked = await this.deps.host.drawDemo(
        perClass,
        seed,
        (progress) => this.set({ progress }),
        mine.signal,
      );
      if (this.controller === mine) this.controller = null;
      await this.importFolder(walked, 'demo', key);
    } catch (e) {
      this.set({ phase: this.idleOrReady(), error: messageOf(e), progress: null });
      if (this.controller === mine) this.controller = null;
    }
  }

  cancelImport() {
    this.controller?.abort();
  }

  async openDataset(id: string): Promise<void> {
    this.set({ error: null });
    const loaded = await openCached(this.deps, id).catch(() => null);
    if (!loaded) {
      this.set({ error: 'That cached dataset could not be read; it was removed. Import the folder again.' });
      await this.deps.storage.deleteDataset(id).catch(() => undefined);
      await this.refreshCached();
      return;
    }
    this.open = loaded;
    this.set({ phase: 'ready', dataset: viewOf(loaded) });
  }

  async deleteCached(id: string): Promise<void> {
    await this.deps.storage.deleteDataset(id);
    if (this.s.dataset?.id === id) {
      this.open = null;
      this.set({ dataset: null, phase: 'idle' });
    }
    await this.refreshCached();
  }

  async refreshCached(): Promise<void> {
    this.set({ cached: await this.deps.storage.listDatasets().catch(() => []) });
  }

  dismissNotice() {
    this.set({ notice: null });
  }

  async discardUnfinished(): Promise<void> {
    for (const u of this.s.unfinished) await this.deps.storage.deleteDataset(u.id).catch(() => undefined);
    this.set({ unfinished: [], notice: null });
  }

  /** Once per page load: tidies what a reload or an old version left behind, then lists the cache. */
  async startUp(): Promise<void> {
    const report = await this.deps.storage.sweep().catch(() => null);
    if (report)
      this.set({
        notice: describeSweep(report),
        unfinished: report.resumable.map((r) => ({ id: r.id, name: r.name, images: r.images })),
      });
    await this.refreshCached();
  }

  closeDataset() {
    this.set({ dataset: null, phase: 'idle', error: null });
  }
}

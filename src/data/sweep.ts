/**
 * Housekeeping at start-up: what an import cut off by a reload or a closed tab left behind, datasets cached by an
 * older version of the lab, and runs of datasets that no longer exist. An import in progress in another tab holds
 * a Web Lock and is left alone.
 */
import { CHUNK_IMAGES, MANIFEST_SCHEMA } from '../core/dataset';
import { db } from './db';
import { removeRunsOf } from './runStore';
import { BY_DATASET, NO_DATASET, STORES, type ImportRecord } from './schema';
import { deleteByDataset, each, write } from './stores';

const { datasets, manifests, chunks, imports, jobs, runs, models, checkpoints, parts } = STORES;
const lockName = (id: string) => `fashion-cnn-lab:import:${id}`;

/** What an import in progress has stored for certain: the images of its full chunks, in storage order. */
export type ImportProgress = NonNullable<ImportRecord['progress']>;

export interface Resumable {
  id: string;
  name: string;
  images: number;
  listingKey: string;
  progress: ImportProgress;
}

interface LockManagerLike {
  request(name: string, callback: () => Promise<unknown>): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[] }>;
}
const locks = () => (globalThis.navigator as unknown as { locks?: LockManagerLike } | undefined)?.locks;
const heldLocks = async () => new Set(((await locks()?.query())?.held ?? []).map((h) => h.name));

/** Runs an import under its lock, with a record naming it until it completes (or is swept after a crash). */
export async function withImportRecord<T>(
  id: string,
  name: string,
  work: () => Promise<T>,
  listingKey?: string,
): Promise<T> {
  const run = async () => {
    await write([imports], async (tx) => {
      const before = await tx.objectStore(imports).get(id);
      await tx
        .objectStore(imports)
        .put({ ...before, id, name, startedAt: new Date().toISOString(), listingKey });
    });
    try {
      return await work();
    } finally {
      await (await db()).delete(imports, id).catch(() => undefined);
    }
  };
  const l = locks();
  return l ? ((await l.request(lockName(id), run)) as T) : run();
}

/** Records what an import has stored so far, so that a reload can resume it instead of starting over. */
export async function saveImportProgress(id: string, progress: ImportProgress): Promise<void> {
  await write([imports], async (tx) => {
    const before = await tx.objectStore(imports).get(id);
    if (before) await tx.objectStore(imports).put({ ...before, progress });
  });
}

const resumable = (p: ImportRecord): Resumable | null =>
  p.listingKey && p.progress?.files.length
    ? {
        id: p.id,
        name: p.name,
        images: p.progress.files.length,
        listingKey: p.listingKey,
        progress: p.progress,
      }
    : null;

/** A cut-off import of the same folder, not running in any tab, with images stored. */
export async function findResumable(listingKey: string): Promise<Resumable | null> {
  const held = await heldLocks();
  const d = await db();
  for (const p of await d.getAll(imports)) {
    const r = resumable(p);
    if (!r || r.listingKey !== listingKey || held.has(lockName(p.id))) continue;
    if ((await d.count(datasets, p.id)) > 0) continue;
    return r;
  }
  return null;
}

export interface SweepReport {
  /** Names of imports that were cut off and removed. */
  cutOff: string[];
  /** Cut-off imports kept for resuming: dropping the same folder again continues them. */
  resumable: Resumable[];
  /** Names of datasets in an older cache format, removed. */
  outdated: string[];
  /** Records of runs and models whose dataset is gone. */
  strayRuns: number;
}

/** Every dataset id that a dataset store holds a record of, and those that runs, models or checkpoints name. */
async function storedIds() {
  const d = await db();
  const tx = d.transaction([datasets, manifests, imports, chunks, jobs, runs, models, checkpoints]);
  const distinct = async (
    store: typeof chunks | typeof jobs | typeof runs | typeof models | typeof checkpoints,
  ) => {
    const ids: string[] = [];
    let c = await tx.objectStore(store).index(BY_DATASET).openKeyCursor(null, 'nextunique');
    for (; c; c = await c.continue()) ids.push(c.key);
    return ids;
  };
  const [summaryIds, manifestIds, importIds, chunkIds, ...runIds] = await Promise.all([
    tx.objectStore(datasets).getAllKeys(),
    tx.objectStore(manifests).getAllKeys(),
    tx.objectStore(imports).getAllKeys(),
    distinct(chunks),
    distinct(jobs),
    distinct(runs),
    distinct(models),
    distinct(checkpoints),
  ]);
  return {
    datasetIds: new Set([...summaryIds, ...manifestIds, ...importIds, ...chunkIds]),
    // An imported labeller's models belong to no dataset: never stray.
    runDatasetIds: new Set(runIds.flat().filter((id) => id !== NO_DATASET)),
  };
}

export async function sweep(): Promise<SweepReport> {
  const held = await heldLocks();
  const d = await db();
  const { datasetIds, runDatasetIds } = await storedIds();
  const report: SweepReport = { cutOff: [], resumable: [], outdated: [], strayRuns: 0 };
  const remove: string[] = [];
  /** Resumable imports: the first chunk not recorded as stored for certain. */
  const trim = new Map<string, number>();
  const finished: string[] = [];
  const alive = new Set<string>();
  for (const id of datasetIds) {
    if (held.has(lockName(id))) {
      alive.add(id);
      continue;
    }
    const [summary, pending] = await Promise.all([d.get(datasets, id), d.get(imports, id)]);
    if (!summary) {
      const r = pending && resumable(pending);
      if (r) {
        // Keep what is certain (the full chunks it recorded); a chunk written after the record goes.
        trim.set(id, Math.ceil(r.images / CHUNK_IMAGES));
        report.resumable.push(r);
        alive.add(id);
      } else {
        report.cutOff.push(pending?.name ?? 'a dataset');
        remove.push(id);
      }
      continue;
    }
    const schema = summary.schema ?? (await d.get(manifests, id))?.schema;
    if (schema !== MANIFEST_SCHEMA) {
      report.outdated.push(summary.name);
      remove.push(id);
      continue;
    }
    if (pending) finished.push(id); // finished, but the tab closed before tidying up
    alive.add(id);
  }
  const stray = [...runDatasetIds].filter((id) => !alive.has(id));
  if (!remove.length && !trim.size && !finished.length && !stray.length) return report;
  await write([datasets, manifests, imports, chunks, jobs, runs, models, checkpoints, parts], async (tx) => {
    for (const id of remove) {
      await each([datasets, manifests, imports] as const, (s) => tx.objectStore(s).delete(id));
      await deleteByDataset(tx, chunks, id);
    }
    for (const [id, from] of trim)
      await tx.objectStore(chunks).delete(IDBKeyRange.bound([id, from], [id, Infinity]));
    await each(finished, (id) => tx.objectStore(imports).delete(id));
    for (const id of stray) report.strayRuns += await removeRunsOf(tx, id);
  });
  return report;
}

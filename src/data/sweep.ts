/**
 * Housekeeping at start-up: what an import cut off by a reload or a closed tab left behind, datasets cached by an
 * older version of the lab, and runs of datasets that no longer exist. An import in progress in another tab holds
 * a Web Lock and is left alone.
 */
import { del, delMany, get, getMany, keys, set } from 'idb-keyval';
import { CHUNK_IMAGES, MANIFEST_SCHEMA, type DatasetManifest, type DatasetSummary } from '../core/dataset';
import { db } from './db';

const lockName = (id: string) => `fashion-cnn-lab:import:${id}`;
const pendingKey = (id: string) => `ds:${id}:pending`;

/** What an import in progress has stored for certain: the images of its full chunks, in storage order. */
export interface ImportProgress {
  files: string[];
  labels: number[];
  hashes: string[];
}

interface Pending {
  name: string;
  startedAt: string;
  /** The dropped folder's listing key: dropping the same folder again resumes the import. */
  listingKey?: string;
  progress?: ImportProgress;
}

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

/** Runs an import under its lock, with a record naming it until it completes (or is swept after a crash). */
export async function withImportRecord<T>(
  id: string,
  name: string,
  work: () => Promise<T>,
  listingKey?: string,
): Promise<T> {
  const run = async () => {
    const before = (await get(pendingKey(id), db())) as Pending | undefined;
    await set(pendingKey(id), { ...before, name, startedAt: new Date().toISOString(), listingKey }, db());
    try {
      return await work();
    } finally {
      await del(pendingKey(id), db()).catch(() => undefined);
    }
  };
  const l = locks();
  return l ? ((await l.request(lockName(id), run)) as T) : run();
}

/** Records what an import has stored so far, so that a reload can resume it instead of starting over. */
export async function saveImportProgress(id: string, progress: ImportProgress): Promise<void> {
  const before = (await get(pendingKey(id), db())) as Pending | undefined;
  if (before) await set(pendingKey(id), { ...before, progress }, db());
}

/** A cut-off import of the same folder, not running in any tab, with images stored. */
export async function findResumable(listingKey: string): Promise<Resumable | null> {
  const held = new Set(((await locks()?.query())?.held ?? []).map((h) => h.name));
  const pendings = ((await keys(db())) as string[]).filter((k) => k.endsWith(':pending'));
  for (const k of pendings) {
    const id = k.slice(3, -':pending'.length);
    const p = (await get(k, db())) as Pending | undefined;
    if (!p?.progress?.files.length || p.listingKey !== listingKey || held.has(lockName(id))) continue;
    if ((await get(`ds:${id}:summary`, db())) !== undefined) continue;
    return { id, name: p.name, images: p.progress.files.length, listingKey, progress: p.progress };
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

export async function sweep(): Promise<SweepReport> {
  const all = (await keys(db())) as string[];
  const held = new Set(((await locks()?.query())?.held ?? []).map((h) => h.name));
  const datasets = new Map<string, string[]>();
  for (const k of all) {
    const m = /^ds:(.+?):(chunk:\d+|manifest|summary|pending)$/.exec(k);
    if (m) datasets.set(m[1]!, [...(datasets.get(m[1]!) ?? []), k]);
  }
  const report: SweepReport = { cutOff: [], resumable: [], outdated: [], strayRuns: 0 };
  const remove: string[] = [];
  const alive = new Set<string>();
  for (const [id, records] of datasets) {
    if (held.has(lockName(id))) {
      alive.add(id);
      continue;
    }
    const [summary, pending] = (await getMany([`ds:${id}:summary`, pendingKey(id)], db())) as [
      DatasetSummary | undefined,
      Pending | undefined,
    ];
    if (!summary) {
      const progress = pending?.progress;
      if (pending?.listingKey && progress?.files.length) {
        // Keep what is certain (the full chunks it recorded); a chunk written after the record goes.
        const stored = Math.ceil(progress.files.length / CHUNK_IMAGES);
        remove.push(...records.filter((k) => /:chunk:\d+$/.test(k) && Number(k.split(':').pop()) >= stored));
        report.resumable.push({
          id,
          name: pending.name,
          images: progress.files.length,
          listingKey: pending.listingKey,
          progress,
        });
        alive.add(id);
        continue;
      }
      report.cutOff.push(pending?.name ?? 'a dataset');
      remove.push(...records);
      continue;
    }
    const schema =
      summary.schema ?? ((await get(`ds:${id}:manifest`, db())) as DatasetManifest | undefined)?.schema;
    if (schema !== MANIFEST_SCHEMA) {
      report.outdated.push(summary.name);
      remove.push(...records);
      continue;
    }
    if (pending) remove.push(pendingKey(id)); // finished, but the tab closed before tidying up
    alive.add(id);
  }
  // Runs, jobs, models and checkpoints of datasets that are gone.
  const stray = all.filter((k) => {
    const m = /^(?:run|job):(.+?):/.exec(k);
    return m && !alive.has(m[1]!);
  });
  for (const k of stray.filter((x) => x.startsWith('run:'))) {
    const runId = k.slice(k.indexOf(':', 4) + 1);
    remove.push(`model:${runId}`, `ckpt:${runId}`);
  }
  remove.push(...stray);
  report.strayRuns = stray.length;
  if (remove.length) await delMany(remove, db());
  return report;
}

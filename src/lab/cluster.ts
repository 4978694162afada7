/**
 * A task's grid trained elsewhere (docs/cluster.md), from the page: "Run elsewhere…" zips the job folder that
 * `lab export-job` writes (the same core code: job.json, the task's splits as the study's NPZ files, a README) for
 * the task's current grid, repeats and settings; "Import results" reads a cluster's results.zip, checks that it
 * belongs to the open dataset and one of its tasks, and stores its runs and kept weights beside the lab's own,
 * with memory bounded by one run whatever the file's size.
 */
import { fileSlug } from '../core/format';
import { clusterJobFiles } from '../core/clusterJob';
import { readClusterResults } from '../core/clusterResults';
import { elsewhereLabel } from '../core/runs';
import { newJob } from '../core/trainDraft';
import type { LabDeps } from './deps';
import type { ImportSession } from './importSession';
import { Observable } from './observable';
import { storedZip } from './storedZip';
import type { TrainingQueue } from './trainingQueue';

export interface ClusterState {
  /** What the last import brought in, in words. */
  clusterNotice: string | null;
  /** Why the last export or import did not happen; nothing stored was changed. */
  clusterError: string | null;
  clusterBusy: boolean;
  /** How far the import in progress has got, in words. */
  clusterProgress: string | null;
}

const message = (e: unknown) => (e as Error)?.message ?? String(e);

export class ClusterExchange {
  readonly state = new Observable<ClusterState>({
    clusterNotice: null,
    clusterError: null,
    clusterBusy: false,
    clusterProgress: null,
  });

  constructor(
    private readonly deps: Pick<LabDeps, 'storage' | 'clock'>,
    private readonly data: ImportSession,
    private readonly training: TrainingQueue,
  ) {}

  /** The job folder of a task's current grid, repeats and settings, as one zip; null (with the reason shown) if none. */
  async runElsewhere(taskId: string): Promise<{ blob: Blob; name: string } | null> {
    this.state.set({ clusterError: null, clusterNotice: null });
    try {
      const open = this.data.opened;
      const t = this.training.state.get();
      const task = t.tasks.find((x) => x.id === taskId);
      const draft = t.drafts[taskId];
      if (!open || !task || !draft) throw new Error('Open a dataset and choose a task first.');
      const m = open.manifest;
      const job = newJob(task, m.id, draft, 'grid', 'auto', this.deps.clock.date());
      const { files } = clusterJobFiles(job, task, {
        id: m.id,
        name: m.name,
        classes: m.classes,
        labels: m.labels,
        split: m.split,
        image: (i) => open.images.image(i),
      });
      return {
        blob: await storedZip((add) => Object.entries(files).forEach(([name, data]) => add(name, data))),
        name: `${fileSlug(task.name)}-job-${job.id}.zip`,
      };
    } catch (e) {
      this.state.set({ clusterError: `The job was not exported: ${message(e)}` });
      return null;
    }
  }

  /**
   * A cluster's results.zip into the open dataset: every run, its job and its kept weights, or nothing at all. The
   * file is read twice, entry by entry, so a grid of any size costs disk and time, not memory: once to check all of
   * it, keeping nothing; then to store each run's weights as it is read, and the runs and their job last.
   */
  async importResults(file: Blob & { name?: string }): Promise<void> {
    const open = this.data.opened;
    const t = this.training.state.get();
    const name = file.name ?? 'results.zip';
    if (!open || t.trainDatasetId !== open.manifest.id) {
      this.state.set({ clusterError: 'Open the dataset the results belong to first.' });
      return;
    }
    this.state.set({ clusterBusy: true, clusterError: null, clusterNotice: null });
    const { storage } = this.deps;
    const m = open.manifest;
    const options = {
      target: {
        dataset: { id: m.id, name: m.name, images: m.labels.length },
        tasks: t.tasks,
        labels: m.labels,
        split: m.split,
      },
    };
    const written: string[] = [];
    let before: Set<string> | null = null;
    try {
      let checked = 0;
      const counted = () => void this.state.set({ clusterProgress: `Checked ${++checked} runs…` });
      const check = await readClusterResults(blobChunks(file), options, counted);
      before = new Set((await storage.listRuns(m.id)).map((r) => r.id));
      let stored = 0;
      const results = await readClusterResults(blobChunks(file), options, async (run, model) => {
        this.state.set({ clusterProgress: `Storing run ${++stored} of ${check.runs.length}…` });
        if (!model) return;
        await storage.saveModel(m.id, run.id, model);
        written.push(run.id);
      });
      await storage.saveImportedRuns(results.jobRecord, results.runs);
      const { jobs, runs } = await this.training.loadTraining(m.id);
      if (this.training.state.get().trainDatasetId === m.id) this.training.state.set({ jobs, runs });
      this.training.selectTask(results.job.task.id);
      const where = [...new Set(results.runs.map((r) => elsewhereLabel(r.trainedElsewhere)))];
      const missing = results.missing.length;
      const without = results.runs.length - results.kept;
      this.state.set({
        clusterNotice:
          `Imported ${results.runs.length} of ${results.job.runs.length} runs of ${results.job.task.name}, ` +
          `trained elsewhere: ${where.join('; ')}` +
          (missing ? `. ${missing} run${missing === 1 ? ' was' : 's were'} not finished there` : '') +
          (without ? `. ${without} came without weights (kept only for the best runs, or none)` : '') +
          '.',
      });
    } catch (e) {
      // What this import stored before it failed (a full disk, a file changed between the two reads) goes again.
      const fresh = written.filter((id) => !before?.has(id));
      if (fresh.length) await storage.deleteModels(m.id, fresh).catch(() => undefined);
      this.state.set({ clusterError: `${name} was not imported: ${message(e)}` });
    } finally {
      this.state.set({ clusterBusy: false, clusterProgress: null });
    }
  }
}

/** A file's bytes as they are read from disk, in the browser's chunks: never the whole file at once. */
async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

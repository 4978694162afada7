/**
 * The training step: the open dataset's tasks and their drafts, its stored jobs and runs, and the queue of jobs the
 * training worker runs one at a time ("Train every task" queues every task). A job that fails is named with its
 * reason and the queue goes on; Stop empties it. Runs left "running" by a closed or reloaded page are marked interrupted when the dataset opens, and
 * can be resumed from their last checkpoint.
 */
import type { BackendName } from '../core/backendChoice';
import type { JobRecord, RunRecord } from '../core/runs';
import { deriveTasks, type Task } from '../core/tasks';
import { newJob, quickDraft, studyDraft, withPreset, type TaskDraft } from '../core/trainDraft';
import type { LabDeps, TrainEvent } from './deps';
import { liveBatch, liveEnd, liveEpoch, liveStart, type LiveRun } from './liveRun';
import { Observable } from './observable';
import type { TrainerConnection } from './trainerConnection';

export interface TrainingState {
  trainDatasetId: string | null;
  tasks: Task[];
  taskId: string | null;
  drafts: Record<string, TaskDraft>;
  jobs: JobRecord[];
  runs: RunRecord[];
  live: LiveRun | null;
  /** A job is running (or queued tasks remain). */
  training: boolean;
  /** Task ids still to train after the current job ("Train every task"). */
  queue: string[];
  trainError: string | null;
  /** The tasks whose job failed since the queue last started, with why (the report names them). */
  failures: { taskId: string; taskName: string; error: string }[];
  /** Training backend: the lab's choice, or the user's override (remembered on this device). */
  backendOverride: BackendName | 'auto';
  selectedRunId: string | null;
  trainedOn: { backend: string; label: string; reason: string } | null;
  /** How the current run's images reach the backend (resident on the GPU, uint8 or float32 per batch). */
  trainInput: { path: 'resident' | 'uint8' | 'float32'; summary: string } | null;
}

const OVERRIDE_KEY = 'fashion-cnn-lab:backend';

/** What the page says of the tasks of a queue that failed: each by name, with its reason. */
function failureText(failures: TrainingState['failures'], more: boolean): string {
  const named = failures.map((f) => `${f.taskName} failed: ${f.error}`).join(' ');
  return more ? `${named} The other tasks go on.` : named;
}
const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];
const message = (e: unknown) => (e as Error)?.message ?? String(e);

export class TrainingQueue {
  readonly state: Observable<TrainingState>;

  constructor(
    private readonly deps: Pick<LabDeps, 'storage' | 'settings' | 'clock'>,
    private readonly trainer: TrainerConnection,
  ) {
    const saved = deps.settings.get(OVERRIDE_KEY);
    this.state = new Observable<TrainingState>({
      trainDatasetId: null,
      tasks: [],
      taskId: null,
      drafts: {},
      jobs: [],
      runs: [],
      live: null,
      training: false,
      queue: [],
      failures: [],
      trainError: null,
      backendOverride: saved && BACKENDS.includes(saved) ? (saved as BackendName) : 'auto',
      selectedRunId: null,
      trainedOn: null,
      trainInput: null,
    });
  }

  private get s() {
    return this.state.get();
  }
  private set(patch: Partial<TrainingState> | ((s: TrainingState) => Partial<TrainingState>)) {
    this.state.set(patch);
  }

  private upsertRun(run: RunRecord) {
    this.set((s) => ({ runs: [...s.runs.filter((r) => r.id !== run.id), run] }));
  }
  private upsertJob(job: JobRecord) {
    this.set((s) => ({ jobs: [...s.jobs.filter((j) => j.id !== job.id), job] }));
  }

  private onEvent = (job: JobRecord) => (e: TrainEvent) => {
    const now = this.deps.clock.now();
    switch (e.type) {
      case 'backend':
        this.set({ trainedOn: { backend: e.backend, label: e.label, reason: e.reason } });
        break;
      case 'input':
        this.set({ trainInput: { path: e.path, summary: e.summary } });
        break;
      case 'run-start':
        this.upsertRun(e.run);
        this.set((s) => ({ selectedRunId: e.run.id, live: liveStart(s.live, job, e, now) }));
        break;
      case 'batch':
        this.set((s) => (s.live?.runId === e.runId ? { live: liveBatch(s.live, e, now) } : {}));
        break;
      case 'epoch': {
        const l = this.s.live;
        if (l?.runId !== e.runId) break;
        const live = liveEpoch(l, e, now);
        const run = this.s.runs.find((r) => r.id === e.runId);
        if (run) this.upsertRun({ ...run, epochs: live.results, bestEpoch: e.bestEpoch });
        this.set({ live });
        break;
      }
      case 'run-end':
        this.upsertRun(e.run);
        this.set((s) => (s.live?.runId === e.run.id ? { live: liveEnd(s.live, e.run) } : {}));
        break;
      case 'job-end':
        this.upsertJob(e.job);
        break;
    }
  };

  /** Runs one job to its end; why it failed (the job failed or the worker crashed), or null. */
  private async runOne(job: JobRecord, resume: boolean): Promise<string | null> {
    this.set({ training: true });
    this.upsertJob(job);
    try {
      const ended = resume
        ? await this.trainer.resumeJob(job, this.onEvent(job))
        : await this.trainer.startJob(job, this.onEvent(job));
      this.upsertJob(ended);
      return ended.status === 'failed' ? (ended.error ?? 'Training failed.') : null;
    } catch (e) {
      const { jobs, runs } = await this.loadTraining(job.datasetId);
      this.set({ jobs, runs });
      return message(e);
    }
  }

  /**
   * Runs `first`, then each queued task in turn with its draft until the queue is empty (Stop empties it). A job
   * that fails is named with its reason, and the next task still trains.
   */
  private async drain(first: JobRecord, resume: boolean): Promise<void> {
    let job: JobRecord | null = first;
    let again = resume;
    const queued = this.s.queue.length > 0;
    this.set({ trainError: null, failures: [] });
    while (job) {
      const error = await this.runOne(job, again);
      again = false;
      if (error) {
        const failures = [...this.s.failures, { taskId: job.taskId, taskName: job.taskName, error }];
        const more = this.s.queue.length > 0;
        this.set({ failures, trainError: queued ? failureText(failures, more) : error });
      }
      job = null;
      const next = this.s.queue[0];
      if (next) {
        this.set({ queue: this.s.queue.slice(1), taskId: next });
        job = this.jobFor(next, 'single');
      }
    }
    if (queued && this.s.failures.length) this.set({ trainError: failureText(this.s.failures, false) });
    this.set({ training: false, live: null });
  }

  private jobFor(taskId: string, kind: 'single' | 'grid'): JobRecord | null {
    const { tasks, drafts, trainDatasetId, backendOverride } = this.s;
    const task = tasks.find((t) => t.id === taskId);
    const draft = drafts[taskId];
    if (!task || !draft || !trainDatasetId) return null;
    return newJob(task, trainDatasetId, draft, kind, backendOverride, this.deps.clock.date());
  }

  /** A dataset's jobs and runs; those left "running" by a closed or reloaded page are marked interrupted. */
  async loadTraining(datasetId: string): Promise<{ jobs: JobRecord[]; runs: RunRecord[] }> {
    const { storage } = this.deps;
    const [jobs, runs] = await Promise.all([storage.listJobs(datasetId), storage.listRuns(datasetId)]);
    if (!this.trainer.running) {
      for (const job of jobs.filter((j) => j.status === 'running')) {
        job.status = 'interrupted';
        await storage.saveJob(job);
      }
      for (const r of runs.filter((x) => x.status === 'running')) {
        r.status = 'interrupted';
        await storage.saveRun(r);
      }
    }
    return { jobs, runs };
  }

  async openTraining(datasetId: string, classes: string[][]): Promise<void> {
    if (this.s.trainDatasetId === datasetId) return;
    const tasks = deriveTasks(classes);
    this.set({
      trainDatasetId: datasetId,
      tasks,
      taskId: tasks[0]?.id ?? null,
      drafts: Object.fromEntries(tasks.map((t) => [t.id, studyDraft(t)])),
      jobs: [],
      runs: [],
      live: null,
      selectedRunId: null,
      trainError: null,
    });
    const { jobs, runs } = await this.loadTraining(datasetId);
    if (this.s.trainDatasetId === datasetId) this.set({ jobs, runs });
  }

  selectTask(taskId: string) {
    this.set({ taskId, selectedRunId: null });
  }
  updateDraft(taskId: string, draft: TaskDraft) {
    this.set((s) => ({ drafts: { ...s.drafts, [taskId]: draft } }));
  }
  loadPreset(taskId: string, index: number) {
    const task = this.s.tasks.find((t) => t.id === taskId);
    const draft = this.s.drafts[taskId];
    if (task && draft) this.updateDraft(taskId, withPreset(task, draft, index));
  }
  resetDraft(taskId: string, kind: 'study' | 'quick') {
    const task = this.s.tasks.find((t) => t.id === taskId);
    if (task) this.updateDraft(taskId, kind === 'quick' ? quickDraft(task) : studyDraft(task));
  }

  async train(taskId: string, kind: 'single' | 'grid'): Promise<void> {
    const job = this.jobFor(taskId, kind);
    if (job) await this.drain(job, false);
  }

  async trainEveryTask(kind: 'study' | 'quick'): Promise<void> {
    const { tasks } = this.s;
    if (!tasks.length || this.s.training) return;
    for (const t of tasks) this.resetDraft(t.id, kind);
    this.set({ queue: tasks.slice(1).map((t) => t.id), taskId: tasks[0]!.id });
    await this.train(tasks[0]!.id, 'single');
  }

  async stop(): Promise<void> {
    this.set({ queue: [] });
    await this.trainer.stop();
  }

  async resume(jobId: string): Promise<void> {
    const job = this.s.jobs.find((j) => j.id === jobId);
    if (!job || this.s.training) return;
    this.set({ taskId: job.taskId });
    await this.drain(job, true);
  }

  selectRun(selectedRunId: string | null) {
    this.set({ selectedRunId });
  }

  overrideBackend(value: BackendName | 'auto') {
    this.deps.settings.set(OVERRIDE_KEY, value === 'auto' ? null : value);
    this.set({ backendOverride: value });
  }

  /** An error from something the page did with a run (a download), shown where training errors are. */
  showError(trainError: string | null) {
    this.set({ trainError });
  }

  async deleteJob(jobId: string): Promise<void> {
    const job = this.s.jobs.find((j) => j.id === jobId);
    if (!job || this.s.live?.jobId === jobId) return;
    await this.deps.storage.deleteJob(job);
    this.set((s) => ({
      jobs: s.jobs.filter((j) => j.id !== jobId),
      runs: s.runs.filter((r) => r.jobId !== jobId),
    }));
  }
}

/** The training step's state: tasks and their drafts, stored jobs and runs, and the run in progress. Plain data. */
import type { StateCreator } from 'zustand';
import type { BackendName } from '../core/backendChoice';
import type { EpochResult, JobRecord, RunRecord } from '../core/runs';
import { deriveTasks, type Task } from '../core/tasks';
import { newJob, quickDraft, studyDraft, withPreset, type TaskDraft } from '../core/trainDraft';
import {
  deleteJob,
  loadTraining,
  resumeJob,
  startJob,
  stopTraining,
  type TrainEvent,
} from '../services/training';

export interface LivePoint {
  /** Batches since the run started (x axis of the per-batch curve). */
  step: number;
  loss: number;
  accuracy: number;
}

export interface LiveRun {
  jobId: string;
  taskId: string;
  runId: string;
  /** Position of this run in its job, and the job's number of runs. */
  index: number;
  runs: number;
  epoch: number;
  epochs: number;
  batch: number;
  batchesPerEpoch: number;
  points: LivePoint[];
  results: EpochResult[];
  bestEpoch: number;
  /** Batches trained in this job since it (re)started here, and when it did, for the time left. */
  batchesDone: number;
  batchesTotal: number;
  startedMs: number;
  nowMs: number;
}

export interface TrainSlice {
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
  /** Training backend: the lab's choice, or the user's override (remembered on this device). */
  backendOverride: BackendName | 'auto';
  selectedRunId: string | null;
  trainedOn: { backend: string; label: string; reason: string } | null;
  /** How the current run's images reach the backend (resident on the GPU, uint8 or float32 per batch). */
  trainInput: { path: 'resident' | 'uint8' | 'float32'; summary: string } | null;
  openTraining(datasetId: string, classes: string[][]): Promise<void>;
  selectTask(id: string): void;
  updateDraft(taskId: string, draft: TaskDraft): void;
  loadPreset(taskId: string, index: number): void;
  resetDraft(taskId: string, kind: 'study' | 'quick'): void;
  train(taskId: string, kind: 'single' | 'grid'): Promise<void>;
  trainEveryTask(kind: 'study' | 'quick'): Promise<void>;
  stop(): Promise<void>;
  resume(jobId: string): Promise<void>;
  selectRun(id: string | null): void;
  overrideBackend(value: BackendName | 'auto'): void;
  deleteJob(jobId: string): Promise<void>;
}

const OVERRIDE_KEY = 'fashion-cnn-lab:backend';
const savedOverride = (): BackendName | 'auto' => {
  try {
    const v = globalThis.localStorage?.getItem(OVERRIDE_KEY);
    return v === 'webgpu' || v === 'webgl' || v === 'wasm' || v === 'cpu' ? v : 'auto';
  } catch {
    return 'auto';
  }
};

const MAX_POINTS = 2000;

export const createTrainSlice: StateCreator<TrainSlice, [], [], TrainSlice> = (set, get) => {
  const upsertRun = (run: RunRecord) =>
    set((s) => {
      const runs = s.runs.filter((r) => r.id !== run.id);
      return { runs: [...runs, run] };
    });
  const upsertJob = (job: JobRecord) =>
    set((s) => ({ jobs: [...s.jobs.filter((j) => j.id !== job.id), job] }));

  const onEvent = (job: JobRecord) => (e: TrainEvent) => {
    const now = performance.now();
    switch (e.type) {
      case 'backend':
        set({ trainedOn: { backend: e.backend, label: e.label, reason: e.reason } });
        break;
      case 'input':
        set({ trainInput: { path: e.path, summary: e.summary } });
        break;
      case 'run-start': {
        upsertRun(e.run);
        const prev = get().live;
        const same = prev?.jobId === job.id;
        const perRun = e.run.settings.epochs * e.batchesPerEpoch;
        set({
          selectedRunId: e.run.id,
          live: {
            jobId: job.id,
            taskId: job.taskId,
            runId: e.run.id,
            index: e.index,
            runs: e.runs,
            epoch: e.resumedAt,
            epochs: e.run.settings.epochs,
            batch: 0,
            batchesPerEpoch: e.batchesPerEpoch,
            points: [],
            results: [...e.run.epochs],
            bestEpoch: e.run.bestEpoch,
            batchesDone: same ? prev.batchesDone : 0,
            batchesTotal:
              (same ? prev.batchesDone : 0) + (e.runs - e.index) * perRun - e.resumedAt * e.batchesPerEpoch,
            startedMs: same ? prev.startedMs : now,
            nowMs: now,
          },
        });
        break;
      }
      case 'batch':
        set((s) => {
          const l = s.live;
          if (!l || l.runId !== e.runId) return {};
          const step = e.epoch * e.batches + e.batch + 1;
          const added = Math.max(1, step - (l.epoch * l.batchesPerEpoch + l.batch));
          const points = [...l.points, { step, loss: e.loss, accuracy: e.accuracy }];
          return {
            live: {
              ...l,
              epoch: e.epoch,
              batch: e.batch + 1,
              points: points.length > MAX_POINTS ? points.filter((_, i) => i % 2 === 0) : points,
              batchesDone: l.batchesDone + added,
              nowMs: now,
            },
          };
        });
        break;
      case 'epoch':
        set((s) => {
          const l = s.live;
          if (!l || l.runId !== e.runId) return {};
          const run = s.runs.find((r) => r.id === e.runId);
          const results = [...l.results, e.result];
          if (run) upsertRun({ ...run, epochs: results, bestEpoch: e.bestEpoch });
          return {
            live: { ...l, results, bestEpoch: e.bestEpoch, epoch: e.result.epoch + 1, batch: 0, nowMs: now },
          };
        });
        break;
      case 'run-end':
        upsertRun(e.run);
        set((s) => {
          const l = s.live;
          if (!l || l.runId !== e.run.id) return {};
          // Early stopping skips the rest of the run's planned batches.
          const planned = l.epochs * l.batchesPerEpoch;
          const trained = e.run.epochs.length * l.batchesPerEpoch;
          return { live: { ...l, batchesTotal: l.batchesTotal - Math.max(0, planned - trained) } };
        });
        break;
      case 'job-end':
        upsertJob(e.job);
        break;
    }
  };

  const runJob = async (job: JobRecord, resume: boolean) => {
    set({ training: true, trainError: null });
    upsertJob(job);
    try {
      const ended = resume ? await resumeJob(job, onEvent(job)) : await startJob(job, onEvent(job));
      upsertJob(ended);
      if (ended.status === 'failed') set({ trainError: ended.error ?? 'Training failed.', queue: [] });
      if (ended.status === 'stopped') set({ queue: [] });
    } catch (e) {
      set({ trainError: (e as Error)?.message ?? String(e), queue: [] });
      const { jobs, runs } = await loadTraining(job.datasetId);
      set({ jobs, runs });
    }
    const next = get().queue[0];
    if (next) {
      set({ queue: get().queue.slice(1), taskId: next });
      await get().train(next, 'single');
      return;
    }
    set({ training: false, live: null });
  };

  return {
    trainDatasetId: null,
    tasks: [],
    taskId: null,
    drafts: {},
    jobs: [],
    runs: [],
    live: null,
    training: false,
    queue: [],
    trainError: null,
    backendOverride: savedOverride(),
    selectedRunId: null,
    trainedOn: null,
    trainInput: null,

    async openTraining(datasetId, classes) {
      if (get().trainDatasetId === datasetId) return;
      const tasks = deriveTasks(classes);
      set({
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
      const { jobs, runs } = await loadTraining(datasetId);
      if (get().trainDatasetId === datasetId) set({ jobs, runs });
    },
    selectTask: (taskId) => set({ taskId, selectedRunId: null }),
    updateDraft: (taskId, draft) => set((s) => ({ drafts: { ...s.drafts, [taskId]: draft } })),
    loadPreset(taskId, index) {
      const task = get().tasks.find((t) => t.id === taskId);
      const draft = get().drafts[taskId];
      if (task && draft) get().updateDraft(taskId, withPreset(task, draft, index));
    },
    resetDraft(taskId, kind) {
      const task = get().tasks.find((t) => t.id === taskId);
      if (task) get().updateDraft(taskId, kind === 'quick' ? quickDraft(task) : studyDraft(task));
    },
    async train(taskId, kind) {
      const { tasks, drafts, trainDatasetId, backendOverride } = get();
      const task = tasks.find((t) => t.id === taskId);
      const draft = drafts[taskId];
      if (!task || !draft || !trainDatasetId) return;
      await runJob(newJob(task, trainDatasetId, draft, kind, backendOverride), false);
    },
    async trainEveryTask(kind) {
      const { tasks } = get();
      if (!tasks.length || get().training) return;
      for (const t of tasks) get().resetDraft(t.id, kind);
      set({ queue: tasks.slice(1).map((t) => t.id), taskId: tasks[0]!.id });
      await get().train(tasks[0]!.id, 'single');
    },
    async stop() {
      set({ queue: [] });
      await stopTraining();
    },
    async resume(jobId) {
      const job = get().jobs.find((j) => j.id === jobId);
      if (!job || get().training) return;
      set({ taskId: job.taskId });
      await runJob(job, true);
    },
    selectRun: (selectedRunId) => set({ selectedRunId }),
    overrideBackend(value) {
      rememberOverride(value);
      set({ backendOverride: value });
    },
    async deleteJob(jobId) {
      const job = get().jobs.find((j) => j.id === jobId);
      if (!job || get().live?.jobId === jobId) return;
      await deleteJob(job);
      set((s) => ({
        jobs: s.jobs.filter((j) => j.id !== jobId),
        runs: s.runs.filter((r) => r.jobId !== jobId),
      }));
    },
  };
};

function rememberOverride(value: BackendName | 'auto') {
  try {
    if (value === 'auto') globalThis.localStorage?.removeItem(OVERRIDE_KEY);
    else globalThis.localStorage?.setItem(OVERRIDE_KEY, value);
  } catch {
    // Private mode without storage: the choice lasts for this visit.
  }
}

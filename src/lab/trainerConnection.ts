/**
 * The Lab's one long-lived training worker: started on first use, told the lab's backend choice for 'auto' before
 * its first call, dropped when it crashes (the next call starts a fresh one). It also predicts with stored models
 * (it holds the backend and the dataset).
 */
import type { BackendChoice } from '../core/backendChoice';
import type { JobRecord } from '../core/runs';
import type { Trainer, TrainerHandle, TrainEvent, WorkerHost } from './deps';

export class TrainerConnection {
  private handle: TrainerHandle | null = null;
  private told: Promise<void> | null = null;
  private crashed: ((reason: string) => void) | null = null;
  /** A job is running in the worker (a reload's leftovers are marked interrupted only when none is). */
  running = false;

  constructor(
    private readonly host: WorkerHost,
    private readonly decided: () => Promise<BackendChoice | null>,
  ) {}

  async worker(): Promise<Trainer> {
    const api = this.start();
    this.told ??= this.decided().then((choice) => api.setAutoChoice(choice));
    await this.told;
    return api;
  }

  /** After a new decision (the user timed the backends): the worker is told again before its next call. */
  retell(): void {
    this.told = null;
  }

  private start(): Trainer {
    if (this.handle) return this.handle.api;
    const handle = this.host.trainer((reason) => {
      if (this.handle !== handle) return;
      this.crashed?.(`The training worker stopped: ${reason || 'an error it could not report'}.`);
      this.drop();
    });
    this.handle = handle;
    return handle.api;
  }

  private drop() {
    this.told = null;
    this.handle?.terminate();
    this.handle = null;
  }

  /** Runs a job to its end; a crash of the worker rejects with the reason. */
  private async run(call: (api: Trainer) => Promise<JobRecord>): Promise<JobRecord> {
    this.running = true;
    try {
      return await Promise.race([
        this.worker().then(call),
        new Promise<never>((_, reject) => (this.crashed = (reason) => reject(new Error(reason)))),
      ]);
    } finally {
      this.running = false;
      this.crashed = null;
    }
  }

  startJob(job: JobRecord, onEvent: (e: TrainEvent) => void): Promise<JobRecord> {
    return this.run((w) => w.startJob(job, onEvent));
  }

  resumeJob(job: JobRecord, onEvent: (e: TrainEvent) => void): Promise<JobRecord> {
    return this.run((w) => w.resumeJob(job.datasetId, job.id, onEvent));
  }

  async stop(): Promise<void> {
    if (this.running) await this.handle?.api.stop();
  }

  dispose(): void {
    this.drop();
  }
}

/** The Lab's training worker: jobs started, resumed and stopped, one at a time. */
import type { JobRecord } from '../core/runs';
import type { Trainer, TrainEvent } from './deps';
import type { WorkerConnection } from './workerConnection';

export class TrainerConnection {
  /** A job is running in the worker (a reload's leftovers are marked interrupted only when none is). */
  running = false;

  constructor(private readonly worker: WorkerConnection<Trainer>) {}

  private async run(call: (api: Trainer) => Promise<JobRecord>): Promise<JobRecord> {
    this.running = true;
    try {
      return await this.worker.call(call);
    } finally {
      this.running = false;
    }
  }

  startJob(job: JobRecord, onEvent: (e: TrainEvent) => void): Promise<JobRecord> {
    return this.run((w) => w.startJob(job, onEvent));
  }

  resumeJob(job: JobRecord, onEvent: (e: TrainEvent) => void): Promise<JobRecord> {
    return this.run((w) => w.resumeJob(job.datasetId, job.id, onEvent));
  }

  async stop(): Promise<void> {
    if (this.running) await this.worker.current?.stop();
  }
}

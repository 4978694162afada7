/** What the training worker tells the page while a job runs (plain data across the worker boundary). */
import type { EpochResult, JobRecord, RunRecord } from '../core/runs';

export type TrainEvent =
  | { type: 'backend'; backend: string; label: string; reason: string }
  | {
      type: 'run-start';
      jobId: string;
      run: RunRecord;
      /** Position in the job, and the job's number of runs. */
      index: number;
      runs: number;
      batchesPerEpoch: number;
      /** Epochs already done when resuming from a checkpoint. */
      resumedAt: number;
    }
  | {
      type: 'batch';
      runId: string;
      epoch: number;
      batch: number;
      batches: number;
      loss: number;
      accuracy: number;
    }
  /** How the run's images reach the backend (resident on the GPU, uint8 per batch, or float32 per batch). */
  | { type: 'input'; runId: string; path: 'resident' | 'uint8' | 'float32'; summary: string }
  | { type: 'epoch'; runId: string; result: EpochResult; bestEpoch: number }
  | { type: 'run-end'; run: RunRecord }
  | { type: 'job-end'; job: JobRecord };

export type TrainEventSink = (event: TrainEvent) => void;

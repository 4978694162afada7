/**
 * The headless Lab, in the manner of tldraw's Editor: one object that owns the work of every step (the import
 * session, the backend choice, the training queue, labelling and comparison), built from injected dependencies.
 * The page's store subscribes to it and React reads the store; the command line (src/app/cli.ts) drives the same
 * object. Its state is plain data; the open dataset's pixels stay in the import session.
 */
import type { Labeller } from '../core/labeller';
import { BackendChooser, type BackendState } from './backends';
import { ClusterExchange, type ClusterState } from './cluster';
import type { LabDeps } from './deps';
import { ImportSession, type ImportState } from './importSession';
import { LabellingSession, type LabellingState } from './labellingSession';
import type { Predictor, Trainer } from './deps';
import { TrainerConnection } from './trainerConnection';
import { TrainingQueue, type TrainingState } from './trainingQueue';
import { WorkerConnection } from './workerConnection';

export type LabSnapshot = ImportState &
  BackendState &
  TrainingState &
  LabellingState &
  ClusterState & {
    /** The labeller in use (derived: the open dataset's chosen runs, or an imported one). */
    labeller: Labeller | null;
  };

export class Lab {
  readonly data: ImportSession;
  readonly backends: BackendChooser;
  readonly training: TrainingQueue;
  readonly labelling: LabellingSession;
  readonly cluster: ClusterExchange;
  private readonly trainer: WorkerConnection<Trainer>;
  private readonly predictor: WorkerConnection<Predictor>;
  private snapshot: LabSnapshot | null = null;
  private listeners = new Set<(s: LabSnapshot) => void>();

  constructor(readonly deps: LabDeps) {
    this.data = new ImportSession(deps);
    this.backends = new BackendChooser(deps, () => {
      this.trainer.retell();
      this.predictor.retell();
    });
    const decided = () => this.backends.decided();
    this.trainer = new WorkerConnection((c) => deps.host.trainer(c), decided, 'The training worker');
    this.predictor = new WorkerConnection((c) => deps.host.predictor(c), decided, 'The prediction worker');
    this.training = new TrainingQueue(deps, new TrainerConnection(this.trainer));
    this.labelling = new LabellingSession(deps, this.data, this.training, this.predictor);
    this.cluster = new ClusterExchange(deps, this.data, this.training);
    const parts = [this.data, this.backends, this.training, this.labelling, this.cluster];
    for (const { state } of parts) state.subscribe(() => this.changed());
  }

  private changed() {
    this.snapshot = null;
    if (this.listeners.size === 0) return;
    const s = this.getState();
    for (const l of this.listeners) l(s);
  }

  /** Everything the page shows, as one plain object (a new object after every change). */
  getState(): LabSnapshot {
    return (this.snapshot ??= {
      ...this.data.state.get(),
      ...this.backends.state.get(),
      ...this.training.state.get(),
      ...this.labelling.state.get(),
      ...this.cluster.state.get(),
      labeller: this.labelling.current(),
    });
  }

  subscribe(listener: (s: LabSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the training and prediction workers (the page is going away, or a test is done). */
  dispose(): void {
    this.trainer.dispose();
    this.predictor.dispose();
  }
}

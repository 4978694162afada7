/**
 * One long-lived worker of the Lab (training, or prediction): started on first use, told the lab's backend choice
 * for 'auto' before its first call, dropped when it crashes (the next call starts a fresh one). A call in flight
 * when the worker crashes is rejected with the reason.
 */
import type { BackendChoice } from '../core/backendChoice';
import type { WorkerHandle } from './deps';

export class WorkerConnection<Api extends { setAutoChoice(choice: BackendChoice | null): Promise<void> }> {
  private handle: WorkerHandle<Api> | null = null;
  private told: Promise<void> | null = null;
  private crashed = new Set<(reason: string) => void>();

  constructor(
    private readonly start: (onCrash: (reason: string) => void) => WorkerHandle<Api>,
    private readonly decided: () => Promise<BackendChoice | null>,
    /** "The training worker", "The prediction worker": how a crash is told. */
    private readonly what: string,
  ) {}

  /** The worker, told the backend choice. */
  async get(): Promise<Api> {
    const api = this.open();
    this.told ??= this.decided().then((choice) => api.setAutoChoice(choice));
    await this.told;
    return api;
  }

  /** The worker as it is, if one is running (no telling, no starting). */
  get current(): Api | null {
    return this.handle?.api ?? null;
  }

  /** After a new decision (the user timed the backends): the worker is told again before its next call. */
  retell(): void {
    this.told = null;
  }

  private open(): Api {
    if (this.handle) return this.handle.api;
    const handle = this.start((reason) => {
      if (this.handle !== handle) return;
      const why = `${this.what} stopped: ${reason || 'an error it could not report'}.`;
      for (const reject of this.crashed) reject(why);
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

  /** Runs `call` on the worker; rejects with the reason when the worker crashes before it answers. */
  async call<T>(call: (api: Api) => Promise<T>): Promise<T> {
    let reject: ((reason: string) => void) | null = null;
    const crash = new Promise<never>((_, r) => (reject = (reason) => r(new Error(reason))));
    this.crashed.add(reject!);
    try {
      return await Promise.race([this.get().then(call), crash]);
    } finally {
      this.crashed.delete(reject!);
    }
  }

  dispose(): void {
    this.drop();
  }
}

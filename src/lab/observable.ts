/** A value that says when it changes: the state each manager of the Lab owns, and what the page subscribes to. */
export class Observable<T extends object> {
  private listeners = new Set<(value: T) => void>();

  constructor(private value: T) {}

  get(): T {
    return this.value;
  }

  set(patch: Partial<T> | ((value: T) => Partial<T>)): void {
    const p = typeof patch === 'function' ? patch(this.value) : patch;
    if (Object.keys(p).length === 0) return;
    this.value = { ...this.value, ...p };
    for (const l of this.listeners) l(this.value);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

// One place for every simulator timer, on a clock that tests may move forward (POST /_sim/clock).
// close() and reset() clear them all, so nothing fires after the simulator is gone.

interface Task {
  due: number;
  run: () => void;
  handle: NodeJS.Timeout | undefined;
}

export class Scheduler {
  private offsetMs = 0;
  private seq = 0;
  private readonly tasks = new Map<string, Task>();
  private closed = false;

  /** Simulator time: wall clock plus the offset added by advance(). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Runs `run` at simulator time `due`; a task with the same key is replaced. Returns the key. */
  at(due: number, run: () => void, key = `task-${++this.seq}`): string {
    this.cancel(key);
    if (this.closed) return key;
    const task: Task = { due, run, handle: undefined };
    this.tasks.set(key, task);
    this.arm(key, task);
    return key;
  }

  after(ms: number, run: () => void, key?: string): string {
    return this.at(this.now() + ms, run, key);
  }

  cancel(key: string): void {
    const task = this.tasks.get(key);
    if (task === undefined) return;
    clearTimeout(task.handle);
    this.tasks.delete(key);
  }

  /** Cancels every task whose key starts with `prefix` (all timers of one transaction). */
  cancelPrefix(prefix: string): void {
    for (const key of [...this.tasks.keys()]) if (key.startsWith(prefix)) this.cancel(key);
  }

  /** Moves simulator time forward; tasks now due run at once, in due order. */
  advance(ms: number): void {
    this.offsetMs += ms;
    for (const [key, task] of [...this.tasks.entries()].sort((a, b) => a[1].due - b[1].due)) {
      clearTimeout(task.handle);
      this.arm(key, task);
    }
  }

  get pending(): number {
    return this.tasks.size;
  }

  clear(): void {
    for (const task of this.tasks.values()) clearTimeout(task.handle);
    this.tasks.clear();
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  private arm(key: string, task: Task): void {
    // setTimeout caps near 24.8 days; longer waits re-arm when they wake.
    const delay = Math.min(Math.max(0, task.due - this.now()), 2 ** 31 - 1);
    task.handle = setTimeout(() => {
      if (this.tasks.get(key) !== task) return;
      if (task.due > this.now()) return this.arm(key, task);
      this.tasks.delete(key);
      task.run();
    }, delay);
    task.handle.unref?.();
  }
}

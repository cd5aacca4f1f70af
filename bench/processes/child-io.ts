// The load generators' side of the IPC contract: input as one JSON argument, one result message, then exit.

export function childInput<T>(): T {
  const raw = process.argv[2];
  if (raw === undefined) throw new Error('expected the input as a JSON argument');
  return JSON.parse(raw) as T;
}

/** Sends the result (or the error) to the orchestrator and exits once the message is flushed. */
export function finish(work: Promise<unknown>): void {
  const send = (message: { result?: unknown; error?: string }, code: number): void => {
    // Run by hand (no IPC channel): print the result instead.
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(message, null, 2)}\n`, () => process.exit(code));
      return;
    }
    process.send(message, () => process.exit(code));
  };
  work.then(
    (result) => send({ result }, 0),
    (err: unknown) => send({ error: err instanceof Error ? err.stack ?? err.message : String(err) }, 1),
  );
}

/**
 * Whether a subscriber's subscriptions are in place on its transport: open, or closed from a lost
 * connection until they are restored. Waiting on an open gate resolves at once.
 */
export class RestoreGate {
  private closed: { promise: Promise<void>; open: () => void } | undefined;

  /** Close the gate (a connection was lost); closing it again does nothing. */
  close(): void {
    if (this.closed !== undefined) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.closed = { promise, open };
  }

  /** Open the gate, letting every waiter through. */
  open(): void {
    const closed = this.closed;
    this.closed = undefined;
    closed?.open();
  }

  /** Resolves once the gate is open. */
  opened(): Promise<void> {
    return this.closed?.promise ?? Promise.resolve();
  }
}

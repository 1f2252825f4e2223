/** Things to undo after each test, in reverse order; errors are collected, not thrown midway. */
export class Cleanup {
  private readonly steps: (() => unknown)[] = [];

  /** Run `step` at the end of the test. Returns `value` for chaining. */
  add<T>(value: T, step: (value: T) => unknown): T {
    this.steps.push(() => step(value));
    return value;
  }

  /** Disconnect `connector` at the end of the test. */
  connector<T extends { disconnect(): Promise<void> }>(connector: T): T {
    return this.add(connector, (c) => c.disconnect());
  }

  /** Run every step (last added first). Throws the first error once all ran. */
  async run(): Promise<void> {
    const errors: unknown[] = [];
    while (this.steps.length > 0) {
      try {
        await this.steps.pop()!();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

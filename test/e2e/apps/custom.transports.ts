import type { Event } from '../../../lib/core/event';
import { Publisher } from '../../../lib/core/publisher';

/** A custom transport whose broker refuses the connection. */
export class RefusingPublisher extends Publisher {
  protected internalConnect(): void {
    throw new Error('connect ECONNREFUSED 127.0.0.1:9');
  }
  protected internalDisconnect(): void {}
  protected internalPublish(_topic: string, _event: Event): void {}
}

/** A custom transport whose broker never answers. */
export class SilentPublisher extends Publisher {
  protected internalConnect(): Promise<void> {
    return new Promise(() => undefined);
  }
  protected internalDisconnect(): void {}
  protected internalPublish(_topic: string, _event: Event): void {}
}

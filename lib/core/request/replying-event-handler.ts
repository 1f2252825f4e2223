import type { Event } from '../event';
import type { BuslineEventHandler } from '../handlers/event-handler';
import { handleWithReply, type Replier } from './replier';

/**
 * @internal A handler subscribed through a `PubSubClient`: runs the user's handler and, when the
 * event is a request, replies with what it returned (see {@link Replier}).
 */
export class ReplyingEventHandler implements BuslineEventHandler {
  constructor(
    readonly handler: BuslineEventHandler,
    private readonly replier: Replier,
  ) {}

  /** The wrapped handler's name. */
  get name(): string | undefined {
    return this.handler.name ?? this.handler.constructor.name;
  }

  handle(topic: string, event: Event): unknown {
    return handleWithReply(this.replier, event, () => this.handler.handle(topic, event));
  }
}

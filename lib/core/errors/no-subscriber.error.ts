import { BuslineError } from './busline.error';

/**
 * A publish made with `requireSubscriber: true` reached no subscriber, as its transport could
 * tell (see `PublishOptions.requireSubscriber`). The event went nowhere.
 */
export class NoSubscriberError extends BuslineError {
  constructor(
    /** The topic of the publish. */
    readonly topic: string,
    /** The publisher that could tell (its `toString()`). */
    readonly publisher: string,
  ) {
    super(
      `${publisher}: no subscriber takes '${topic}', so the event reached nobody; subscribe ` +
        'to the topic first, or publish without requireSubscriber',
    );
  }
}

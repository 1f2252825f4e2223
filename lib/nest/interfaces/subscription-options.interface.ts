import type { ValidatorOptions } from 'class-validator';
import type { SubscribeEnvelope } from '../../core/envelopes/envelope';
import type { DeadLetterOptions } from './dead-letter-options.interface';
import type { RetryOptions } from './retry-options.interface';

/** Options of one `@Subscribe()`. */
export interface SubscriptionOptions {
  /**
   * Subscribe only through these transports (by name: `'local'`, `'mqtt'`, a custom name);
   * default all subscribers of the module.
   */
  transport?: string | readonly string[];
  /**
   * How many events of this subscription the handler may handle at once (default 1: one after
   * the other, in arrival order). Handlers on the same topic and transport share one
   * subscription, which takes the smallest concurrency among them.
   */
  concurrency?: number;
  /** MQTT QoS of the subscription (0, 1 or 2); ignored by transports without QoS. */
  qos?: 0 | 1 | 2;
  /**
   * MQTT shared-subscription group: the subscription becomes `$share/<group>/<topic>`, so each
   * event goes to one member of the group.
   */
  group?: string;
  /**
   * Validate payloads whose class carries class-validator decorators before the handler runs
   * (default: the module's `validation` option, itself on by default). An object sets
   * class-validator's options.
   */
  validate?: boolean | ValidatorOptions;
  /** Retry a failing handler (default: the module's `retry`); `false` turns it off. */
  retry?: RetryOptions | false;
  /**
   * Dead-letter topic of this handler (default: the module's `deadLetter`); `false` turns it
   * off.
   */
  deadLetter?: string | DeadLetterOptions | false;
  /**
   * How broker transports read what arrives (default `'auto'`: Busline's envelopes, CloudEvents
   * and `@nestjs/microservices` packets, told apart by themselves). `{ raw: Reading }` takes plain
   * JSON with no envelope, mapped onto `Reading` and validated like any payload; `{ raw: 'text' }`
   * and `{ raw: 'bytes' }` take text and bytes; `'nest'` / `{ nest: MessageClass }` and
   * `'cloudevents'` take only those envelopes. The local transport ignores it.
   */
  envelope?: SubscribeEnvelope;
  /** Further options passed as they are to the transports' `subscribe()`. */
  transportOptions?: Readonly<Record<string, unknown>>;
}

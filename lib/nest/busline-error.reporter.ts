import type { Logger } from '@nestjs/common';
import type { BuslineError } from '../core/errors/busline.error';
import { countDeadLetter } from '../core/telemetry/process-telemetry';
import type { Event } from '../core/event';
import type { BuslineClient } from './busline.client';
import type { BuslineErrorContext } from './interfaces/busline-error-context.interface';
import type { BuslineErrorHook } from './interfaces/busline-error-hook.interface';
import type { DeadLetterOptions } from './interfaces/dead-letter-options.interface';
import { DeadLetterMessage } from './messages/dead-letter.message';

/** @internal Where a handler's failure goes: log, hook, dead-letter topic. */
export interface FailureTarget {
  readonly binding: string;
  readonly filter: string;
  readonly deadLetter: DeadLetterOptions | undefined;
  /** Told of each failure reported for it (the flow page's counters set it while a page is open). */
  onFailure?: () => void;
}

/**
 * @internal Reports the errors of a NestJS application's Busline: logs them with their binding,
 * passes them to the `onError` hook, and publishes failed events to their dead-letter topic.
 * Never throws: a failing hook or dead-letter publish is logged.
 */
export class BuslineErrorReporter {
  constructor(
    private readonly logger: Logger,
    private readonly client: BuslineClient,
    private readonly hook: BuslineErrorHook | undefined,
  ) {}

  /** A handler failed (after its retries) or its message was invalid. */
  async handlerFailed(
    target: FailureTarget,
    topic: string,
    event: Event,
    error: BuslineError,
    attempts: number,
  ): Promise<void> {
    target.onFailure?.();
    const cause = error.cause instanceof Error ? error.cause : error;
    this.logger.error(`${target.binding} -> ${target.filter}: ${error.message}`, cause.stack);
    await this.callHook(error, {
      binding: target.binding,
      filter: target.filter,
      topic,
      event,
      attempts,
    });
    if (target.deadLetter !== undefined) {
      await this.deadLetter(target, topic, event, error, attempts);
    }
  }

  /** A handler failed and will be tried again after `wait` ms. */
  retrying(
    target: FailureTarget,
    topic: string,
    event: Event,
    error: unknown,
    attempt: number,
    retries: number,
    wait: number,
  ): void {
    this.logger.warn(
      `${target.binding} -> ${target.filter}: attempt ${attempt} of ${retries + 1} failed on ` +
        `'${topic}' for event ${event.identifier}, retrying in ${wait} ms: ${describe(error)}`,
    );
  }

  /** A transport reported an error (bad input from the wire, an overflow...). */
  transportFailed(error: BuslineError, transport: string): void {
    this.logger.error(`Transport '${transport}': ${error.message}`);
    void this.callHook(error, { transport });
  }

  private async callHook(error: BuslineError, context: BuslineErrorContext): Promise<void> {
    if (this.hook === undefined) return;
    try {
      await this.hook(error, context);
    } catch (hookError) {
      this.logger.error(
        `The onError hook failed while reporting "${error.message}": ${describe(hookError)}`,
        hookError instanceof Error ? hookError.stack : undefined,
      );
    }
  }

  private async deadLetter(
    target: FailureTarget,
    topic: string,
    event: Event,
    error: BuslineError,
    attempts: number,
  ): Promise<void> {
    const options = target.deadLetter!;
    if (event.payload instanceof DeadLetterMessage) {
      // A dead letter that fails is not dead-lettered again, or it would loop.
      this.logger.warn(
        `${target.binding} -> ${target.filter}: not dead-lettering event ${event.identifier} ` +
          `of '${topic}', which is itself a dead letter`,
      );
      return;
    }
    try {
      const deadTopic =
        typeof options.topic === 'function' ? options.topic(topic, event) : options.topic;
      const letter = DeadLetterMessage.of(topic, event, target.binding, error, attempts);
      await this.client.publish(deadTopic, letter, { transport: options.transport });
      countDeadLetter(target.filter, target.binding);
    } catch (publishError) {
      this.logger.error(
        `${target.binding} -> ${target.filter}: could not dead-letter event ${event.identifier} ` +
          `of '${topic}': ${describe(publishError)}`,
        publishError instanceof Error ? publishError.stack : undefined,
      );
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

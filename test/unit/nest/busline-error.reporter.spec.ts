import type { Logger } from '@nestjs/common';
import { HandlerError } from '../../../lib/core/errors/handler.error';
import { Event } from '../../../lib/core/event';
import { StringMessage } from '../../../lib/core/messages/string.message';
import type { BuslineClient } from '../../../lib/nest/busline.client';
import { BuslineErrorReporter } from '../../../lib/nest/busline-error.reporter';
import { DeadLetterMessage } from '../../../lib/nest/messages/dead-letter.message';

/*
 * Every line the reporter writes about an event names the event's identifier and its topic, so a
 * log search by either finds the whole story of a failed event.
 */

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const add = (message: string): void => void lines.push(message);
  return { logger: { log: add, warn: add, error: add } as unknown as Logger, lines };
}

const target = {
  binding: 'Orders.onPlaced',
  filter: 'orders/+',
  deadLetter: { topic: 'orders/dead' },
};

function failure(event: Event): HandlerError {
  return new HandlerError('orders/7', event.identifier, target.binding, new Error('boom'));
}

describe('BuslineErrorReporter log lines', () => {
  it('names the event and its topic on failure, retry, and a dead letter that cannot be sent', async () => {
    const { logger, lines } = recordingLogger();
    const client = {
      publish: () => Promise.reject(new Error('broker down')),
    } as unknown as BuslineClient;
    const reporter = new BuslineErrorReporter(logger, client, undefined);
    const event = new Event({ publisherIdentifier: 'p', payload: new StringMessage('x') });

    reporter.retrying(target, 'orders/7', event, new Error('boom'), 1, 2, 5);
    await reporter.handlerFailed(target, 'orders/7', event, failure(event), 3);

    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).toContain(event.identifier);
      expect(line).toContain("'orders/7'");
    }
    expect(lines[2]).toBe(
      `Orders.onPlaced -> orders/+: could not dead-letter event ${event.identifier} of ` +
        "'orders/7': broker down",
    );
  });

  it('names the event and its topic when it does not dead-letter a dead letter', async () => {
    const { logger, lines } = recordingLogger();
    const publish = jest.fn();
    const reporter = new BuslineErrorReporter(
      logger,
      { publish } as unknown as BuslineClient,
      undefined,
    );
    const original = new Event({ publisherIdentifier: 'p', payload: new StringMessage('x') });
    const letter = new Event({
      publisherIdentifier: 'p',
      payload: DeadLetterMessage.of('orders/7', original, target.binding, failure(original), 1),
    });
    await reporter.handlerFailed(target, 'orders/dead', letter, failure(letter), 1);
    expect(publish).not.toHaveBeenCalled();
    expect(lines[1]).toBe(
      `Orders.onPlaced -> orders/+: not dead-lettering event ${letter.identifier} of ` +
        "'orders/dead', which is itself a dead letter",
    );
  });
});

import { HandlerError } from '../../lib/core/errors/handler.error';
import type { Event } from '../../lib/core/event';
import { PubSubClient } from '../../lib/core/pubsub-client';
import { MessageValidationError } from '../../lib/nest/errors/message-validation.error';
import { DeadLetterMessage } from '../../lib/nest/messages/dead-letter.message';
import { OrderCreated, OrderShipped } from './apps/orders.messages';
import { NS, TOPICS } from './apps/topics';
import { ValidationConsumer, ValidationConsumerModule } from './apps/validation.consumer';
import { closeApps } from './support/harness';
import { reportingApp } from './support/reporting-app';
import { PROFILES } from './support/transports';
import { waitFor } from './support/wait';

jest.setTimeout(30_000);

describe.each(PROFILES)('message validation on $name', (profile) => {
  beforeAll(() => profile.setup());
  afterAll(() => profile.teardown());
  afterEach(() => closeApps());

  const { reported, start: validationApp } = reportingApp(profile, ValidationConsumerModule);

  it('never hands an invalid message to the handler, and reports it with the binding', async () => {
    const { app, logger } = await validationApp({ deadLetter: TOPICS.dead });
    const consumer = app.get(ValidationConsumer);
    const bus = app.get(PubSubClient);
    const letters: Event<DeadLetterMessage>[] = [];
    await bus.subscribe<DeadLetterMessage>(TOPICS.dead, (_topic, event) => {
      letters.push(event);
    });

    const invalid = await bus.publish(TOPICS.created, OrderCreated.of('', ['apple', -1]));
    await bus.publish(TOPICS.created, OrderCreated.of('valid', ['apple', 1]));

    // Events of a subscription are handled in order: once the valid one is in, the invalid one
    // has been dealt with.
    await waitFor(() => consumer.created.length === 1, 'the valid order');
    expect(consumer.created.map((o) => o.id)).toEqual(['valid']);
    // The handler that opted out of validation saw both.
    await waitFor(() => consumer.unchecked.length === 2, 'both orders on the unchecked handler');

    await waitFor(() => reported.length === 1, 'the report');
    const { error, context } = reported[0];
    expect(error).toBeInstanceOf(MessageValidationError);
    const validation = error as MessageValidationError;
    expect(validation.handler).toBe('ValidationConsumer.onCreated');
    expect(validation.topic).toBe(TOPICS.created);
    expect(validation.eventId).toBe(invalid.identifier);
    expect(validation.messageType).toBe('OrderCreated');
    expect(validation.violations).toEqual(
      expect.arrayContaining([
        'id: id should not be empty',
        'lines.0.quantity: quantity must be a positive number',
      ]),
    );
    expect(context).toMatchObject({
      binding: 'ValidationConsumer.onCreated',
      topic: TOPICS.created,
      attempts: 0,
    });
    expect(context.event?.identifier).toBe(invalid.identifier);
    expect(logger.busline('error')).toEqual([
      expect.stringMatching(
        new RegExp(`^ValidationConsumer\\.onCreated -> ${TOPICS.created}: Invalid OrderCreated`),
      ),
    ]);

    await waitFor(() => letters.length === 1, 'the dead letter');
    const letter = letters[0].payload!;
    expect(letter).toBeInstanceOf(DeadLetterMessage);
    expect(letter).toMatchObject({
      topic: TOPICS.created,
      eventIdentifier: invalid.identifier,
      handler: 'ValidationConsumer.onCreated',
      error: 'MessageValidationError',
      attempts: 0,
      messageType: 'e2e.OrderCreated',
    });
    expect(letter.reason).toContain('quantity must be a positive number');
    const original = letter.originalPayload() as OrderCreated;
    expect(original).toBeInstanceOf(OrderCreated);
    expect(original.lines[0].quantity).toBe(-1);
  });

  it('keeps a payload of another class from a handler whose @Payload() declares a class', async () => {
    const { app } = await validationApp();
    const consumer = app.get(ValidationConsumer);
    const bus = app.get(PubSubClient);
    await bus.publish(`${NS}/shipments/a`, OrderCreated.of('not-a-shipment', ['a', 1]));
    await bus.publish(`${NS}/shipments/b`, OrderShipped.of('s-1'));

    await waitFor(() => consumer.shipped.length === 1, 'the shipment');
    expect(consumer.shipped.map((s) => s.id)).toEqual(['s-1']);
    await waitFor(() => reported.length === 1, 'the report');
    expect(reported[0].error).toBeInstanceOf(MessageValidationError);
    expect((reported[0].error as MessageValidationError).violations).toEqual([
      'expected a OrderShipped instance (the type of the @Payload() parameter), got a OrderCreated instance',
    ]);
  });

  it('hands invalid messages over when validation is off for the module', async () => {
    const { app } = await validationApp({ validation: false });
    const consumer = app.get(ValidationConsumer);
    await app.get(PubSubClient).publish(TOPICS.created, OrderCreated.of('', ['a', 0]));

    // The fixture handler throws when an invalid order reaches it: proof that it did.
    await waitFor(() => reported.length === 1, 'the handler failure');
    expect(reported[0].error).toBeInstanceOf(HandlerError);
    expect(reported[0].error.message).toContain('an invalid order reached the handler');
    expect(consumer.created).toEqual([]);
  });
});

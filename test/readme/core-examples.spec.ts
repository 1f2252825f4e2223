import { printed } from './run-example';

/*
 * The examples of busline (core and local bus) in docs/: each exports main(), run here with what
 * it prints compared. The quick starts run in quick-starts.spec.ts, as scripts.
 */

/** Run an example's main() in a module registry of its own and return what it printed. */
const run = (file: string) => printed(file, { isolated: true });

it('handlers and iterators: handlers, the multi handler and the unhandled iterator', async () => {
  expect(await run('examples/handlers-and-iterators.ts')).toEqual([
    'got something on alerts/disk/full',
    'nobody handles misc (nobody listens)',
    'greetings/en: hello\nalerts/disk/full: disk is full',
  ]);
});

it('custom transport: the console publisher and the tiny bus', async () => {
  expect(await run('examples/custom-transport.ts')).toEqual([
    '[console] orders/1 <- created',
    '[console] published 36-character id on orders/1',
    '[tiny] pings',
  ]);
});

it('messages: wrappers, JSON and Avro messages round-trip', async () => {
  expect(await run('examples/messages.ts')).toEqual([
    'utf-8 hello',
    '{"value": 42}',
    'true',
    '0.5',
    'true 2020',
    'true 19.9',
  ]);
});

it('registry and wire: an event through the JSON envelope and back', async () => {
  expect(await run('examples/registry-and-wire.ts')).toEqual([
    'true',
    'ping',
    'true',
    'true true',
    '7',
  ]);
});

it('binary envelope: published binary, read by the default subscriber', async () => {
  expect(await run('examples/binary-envelope.ts')).toEqual(['greetings: hello']);
});

it("python interop: a Python publish() read, a float field written as Python's", async () => {
  expect(await run('examples/python-interop.ts')).toEqual([
    'hello',
    '2026-11-25T13:06:24.001281',
    '2026-11-25T13:06:24.001Z',
    '{"name": "desk", "price": 100.0}',
    '{"identifier": "order-1", "publisher_identifier": "shop-ts", ' +
      '"serialized_payload": {"__type__": "bytes", "value": "eyJuYW1lIjogImRlc2siLCAicHJpY2UiOiAxMDAuMH0="}, ' +
      '"payload_format_type": "json", "message_type": "Product", ' +
      '"timestamp": {"__type__": "datetime", "value": "2025-06-01T12:30:45.123000+00:00"}}',
  ]);
});

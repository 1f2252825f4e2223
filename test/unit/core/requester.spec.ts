import type { Event } from '../../../lib/core/event';
import type { Publisher } from '../../../lib/core/publisher';
import { Requester } from '../../../lib/core/request/requester';

/*
 * The requests of one client (lib/core/request/requester.ts), with publishers that fail: a request
 * that cannot be sent rejects at once and leaves nothing waiting (no entry, no timer).
 */

function requester(): Requester {
  return new Requester(
    { identifier: 'client', subscribeReplies: () => Promise.resolve() },
    'replies/client',
  );
}

/** A publisher whose publishEvent throws instead of returning a rejected promise. */
const throwing = {
  publishEvent(): Promise<Event> {
    throw new Error('the transport broke');
  },
} as unknown as Publisher;

const rejecting = {
  publishEvent: () => Promise.reject(new Error('the transport refused')),
} as unknown as Publisher;

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

it.each([
  ['throws', throwing, 'the transport broke'],
  ['rejects', rejecting, 'the transport refused'],
])(
  'a publisher that %s: the request rejects with its error, nothing left waiting',
  async (_, publisher, message) => {
    const requests = requester();
    await expect(requests.request('prices', 'desk', [publisher], 60_000, {})).rejects.toThrow(
      message,
    );
    expect(requests.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  },
);

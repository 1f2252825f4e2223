/*
 * Each option rule has one checker, in the lowest layer that needs it; the layers above call it,
 * so a value is refused with the same message wherever it is given.
 */
import { InvalidArgumentError } from '../../lib/core/errors/invalid-argument.error';
import { checkedCount } from '../../lib/core/option-checks';
import { LocalSubscriber } from '../../lib/local/local.subscriber';
import { checkedQos } from '../../lib/mqtt/mqtt.options';
import { checkSubscriptionOptions } from '../../lib/nest/options.validation';

describe('checkedCount (concurrency, inboundBufferSize, maxPendingEvents)', () => {
  it.each<[unknown, number]>([
    [undefined, 7],
    [1, 1],
    [16, 16],
    [Infinity, Infinity],
  ])('takes %p', (value, expected) => {
    expect(checkedCount('n', value, 7)).toBe(expected);
  });

  it.each<[unknown]>([[0], [-1], [1.5], [NaN], [-Infinity], ['2'], [2n], [null], [true]])(
    'refuses %p, naming the parameter',
    (value) => {
      expect(() => checkedCount('options.concurrency', value, 1)).toThrow(InvalidArgumentError);
      expect(() => checkedCount('options.concurrency', value, 1)).toThrow(
        /^Expected options\.concurrency to be a whole number of at least 1 \(or Infinity\), got /,
      );
    },
  );
});

describe('checkedQos', () => {
  it.each<[unknown, number]>([
    [undefined, 0],
    [0, 0],
    [1, 1],
    [2, 2],
  ])('takes %p', (value, expected) => {
    expect(checkedQos('options.qos', value)).toBe(expected);
  });

  it.each<[unknown]>([[3], [-1], [1.5], ['1'], [null]])('refuses %p', (value) => {
    expect(() => checkedQos('options.qos', value)).toThrow(
      /^Expected options\.qos to be 0, 1 or 2, got /,
    );
  });
});

describe('the layers above give the same message', () => {
  const message = (check: () => unknown): string => {
    try {
      check();
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected the check to throw');
  };

  it('concurrency: a subscriber and @Subscribe()', async () => {
    const subscriber = new LocalSubscriber();
    const fromCore = await subscriber
      .subscribe('t', () => undefined, { concurrency: 0 })
      .then(
        () => 'subscribed',
        (error: Error) => error.message,
      );
    expect(message(() => checkSubscriptionOptions({ concurrency: 0 }))).toBe(fromCore);
    expect(fromCore).toBe(message(() => checkedCount('options.concurrency', 0, 1)));
  });

  it('qos: the MQTT options and @Subscribe()', () => {
    expect(message(() => checkSubscriptionOptions({ qos: 3 as unknown as 0 }))).toBe(
      message(() => checkedQos('options.qos', 3)),
    );
  });
});

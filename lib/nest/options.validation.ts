import { InvalidArgumentError } from '../core/errors/invalid-argument.error';
import { checkedSubscribeEnvelope } from '../core/envelopes/envelope.codec';
import { checkedCount } from '../core/option-checks';
import { checkedQos } from '../mqtt/mqtt.options';
import { BuslineConfigurationError } from './errors/busline-configuration.error';
import type { DeadLetterOptions } from './interfaces/dead-letter-options.interface';
import type { RetryOptions } from './interfaces/retry-options.interface';
import type { SubscriptionOptions } from './interfaces/subscription-options.interface';

/*
 * Checks of what users write in decorators and module options, each naming the parameter, so a
 * typo fails at startup with a message rather than silently doing nothing.
 */

/** @internal */
export function checkTransportNames(name: string, value: unknown): void {
  if (value === undefined) return;
  const names = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(names) ||
    names.length === 0 ||
    names.some((n) => typeof n !== 'string' || n === '')
  ) {
    throw new InvalidArgumentError(name, 'a transport name or a non-empty array of them', value);
  }
}

/** @internal */
export function checkRetry(name: string, retry: RetryOptions | false | undefined): void {
  if (retry === undefined || retry === false) return;
  if (typeof retry !== 'object' || retry === null) {
    throw new InvalidArgumentError(name, '{ retries, delay?, factor?, maxDelay? } or false', retry);
  }
  if (!Number.isInteger(retry.retries) || retry.retries < 0) {
    throw new InvalidArgumentError(
      `${name}.retries`,
      'a whole number of at least 0',
      retry.retries,
    );
  }
  for (const key of ['delay', 'factor', 'maxDelay'] as const) {
    const value = retry[key];
    if (
      value !== undefined &&
      !(typeof value === 'number' && value >= 0 && Number.isFinite(value))
    ) {
      throw new InvalidArgumentError(`${name}.${key}`, 'a finite number of at least 0', value);
    }
  }
}

/** @internal */
export function checkDeadLetter(
  name: string,
  deadLetter: string | DeadLetterOptions | false | undefined,
): void {
  if (deadLetter === undefined || deadLetter === false) return;
  if (typeof deadLetter === 'string') {
    if (deadLetter === '') throw new InvalidArgumentError(name, 'a non-empty topic', deadLetter);
    return;
  }
  if (
    typeof deadLetter !== 'object' ||
    deadLetter === null ||
    !(
      typeof deadLetter.topic === 'function' ||
      (typeof deadLetter.topic === 'string' && deadLetter.topic !== '')
    )
  ) {
    throw new InvalidArgumentError(name, 'a topic or { topic, transport? }', deadLetter);
  }
  checkTransportNames(`${name}.transport`, deadLetter.transport);
}

/** @internal Check the options of a `@Subscribe()`. */
export function checkSubscriptionOptions(options: SubscriptionOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'an object of subscription options', options);
  }
  checkTransportNames('options.transport', options.transport);
  const { group } = options;
  checkedCount('options.concurrency', options.concurrency, 1);
  checkedQos('options.qos', options.qos);
  if (group !== undefined && (typeof group !== 'string' || !/^[^/+#]+$/.test(group))) {
    throw new InvalidArgumentError(
      'options.group',
      "a non-empty name without '/', '+' or '#'",
      group,
    );
  }
  checkRetry('options.retry', options.retry);
  checkDeadLetter('options.deadLetter', options.deadLetter);
  checkedSubscribeEnvelope('options.envelope', options.envelope);
}

/** @internal Check the `flowPage` module option. */
export function checkFlowPage(flowPage: unknown): void {
  if (flowPage === undefined) return;
  if (typeof flowPage !== 'object' || flowPage === null || Array.isArray(flowPage)) {
    throw new BuslineConfigurationError(
      `BuslineModule's flowPage option must be an object such as { path: '/busline' }, not ` +
        `${describeValue(flowPage)}; leave it out to serve no page`,
    );
  }
  const { path, refreshInterval } = flowPage as { path?: unknown; refreshInterval?: unknown };
  if (typeof path !== 'string' || !/^\/[^\s?#:*()]*$/.test(path)) {
    throw new BuslineConfigurationError(
      `BuslineModule's flowPage.path must be an absolute URL path such as '/busline' (starting ` +
        `with '/', without spaces, '?', '#', ':', '*' or parentheses), not ${describeValue(path)}`,
    );
  }
  if (
    refreshInterval !== undefined &&
    !(
      typeof refreshInterval === 'number' &&
      Number.isFinite(refreshInterval) &&
      refreshInterval >= 100
    )
  ) {
    throw new BuslineConfigurationError(
      `BuslineModule's flowPage.refreshInterval must be a number of milliseconds of at least ` +
        `100, not ${describeValue(refreshInterval)}`,
    );
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'an array';
  return String(value);
}

import { randomBytes } from 'node:crypto';

/**
 * A topic prefix no other test (nor another jest worker, nor a previous run on a shared broker)
 * uses: `busline-test/<random>`.
 */
export function uniquePrefix(label = 't'): string {
  return `busline-test/${label}-${randomBytes(6).toString('hex')}`;
}

import { waitFor as waitUntil } from '../../support/wait-for';

export { deferred, type Deferred } from '../../support/deferred';
export { settle } from '../../support/wait-for';

/** Resolves once `condition()` is true; rejects naming `what` after `timeout` ms. */
export function waitFor(condition: () => boolean, what: string, timeout = 8_000): Promise<void> {
  return waitUntil(condition, timeout, what);
}

import { BuslineError } from './busline.error';

/** A publisher or subscriber was used before `connect()` or after `disconnect()`. */
export class NotConnectedError extends BuslineError {
  constructor(
    readonly connector: string,
    action: string,
  ) {
    super(`${connector} is not connected, so it cannot ${action}; await connect() first`);
  }
}

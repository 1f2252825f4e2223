import { BuslineError } from '../../core/errors/busline.error';

/** A transport could not connect while the application started; `app.init()` rejects with it. */
export class BuslineConnectionError extends BuslineError {
  constructor(
    /** Name of the transport (`'local'`, `'mqtt'`, ...). */
    readonly transport: string,
    /** The publisher or subscriber that failed, as its `toString()`. */
    readonly connector: string,
    cause: unknown,
  ) {
    super(
      `Busline could not connect transport '${transport}' (${connector}): ${
        cause instanceof Error ? cause.message : String(cause)
      }. Check the '${transport}' transport options given to BuslineModule and that its broker ` +
        'is running and reachable',
      { cause },
    );
  }
}

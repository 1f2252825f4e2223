import { BuslineError } from '../../core/errors/busline.error';

/**
 * The BuslineModule options or a `@Subscribe` binding cannot work as given; thrown while the
 * application starts, so `app.init()` rejects with it. The message says what to change.
 */
export class BuslineConfigurationError extends BuslineError {}

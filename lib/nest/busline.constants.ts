/** Injection token of the {@link BuslineModuleOptions} given to `forRoot` / `forRootAsync`. */
export const BUSLINE_MODULE_OPTIONS = 'BUSLINE_MODULE_OPTIONS';

/** @internal Injection token of the transports built from the module options. */
export const BUSLINE_TRANSPORTS = 'BUSLINE_TRANSPORTS';

/** @internal Metadata key of `@Subscribe()`, stored on the handler method. */
export const BUSLINE_SUBSCRIBE_METADATA = 'busline:subscribe';

/** @internal Metadata key of the handler parameter decorators, stored on the handler method. */
export const BUSLINE_HANDLER_PARAMS_METADATA = 'busline:handler-params';

/** Context of the messages Busline logs through NestJS's `Logger`. */
export const BUSLINE_LOGGER_CONTEXT = 'Busline';

/** Name of the local transport unless its options give another. */
export const DEFAULT_LOCAL_TRANSPORT = 'local';

/** Name of an MQTT connection unless its options give another. */
export const DEFAULT_MQTT_TRANSPORT = 'mqtt';

/** Name of user-supplied publishers and subscribers given as an array. */
export const DEFAULT_CUSTOM_TRANSPORT = 'custom';

/** @internal Metadata key of `@Publishes()`, stored on the class or the method. */
export const BUSLINE_PUBLISHES_METADATA = 'busline:publishes';

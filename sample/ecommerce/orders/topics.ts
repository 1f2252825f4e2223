/** MQTT topic the backend publishes every new order on (the Python example's `new_order`). */
export const NEW_ORDER_TOPIC = 'new_order';

/** Local-bus topic the data processor feeds the AI model on (the Python example's `inbound_data`). */
export const INBOUND_DATA_TOPIC = 'inbound_data';

/**
 * The transport names Busline's NestJS module gives its MQTT connection and its local bus. A
 * handler subscribes through one of them only, so the transport it names in its log lines is the
 * one the event came over.
 */
export const MQTT = 'mqtt';
export const LOCAL = 'local';

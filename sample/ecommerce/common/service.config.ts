import type { EventBus } from 'busline';
import type { BuslineErrorHook, FlowPageOptions, MqttTransportOptions } from 'busline/nest';
import { MQTT } from '../orders/topics';

/** What every service of the sample is configured with. */
export interface ServiceConfig {
  /** URL of the MQTT broker, such as `mqtt://127.0.0.1:1883`. */
  mqttUrl: string;
  /**
   * The local bus the data processor and the AI model share (they must run in one process).
   * Default: the process-wide `LocalEventBus`, as in the Python example.
   */
  eventbus?: EventBus;
  /** Called with every error Busline reports: invalid orders, failing handlers, broker trouble. */
  onError?: BuslineErrorHook;
  /** The flow page the backend serves (default: none). */
  flowPage?: FlowPageOptions;
}

/** The MQTT transport of a service: orders travel at least once (QoS 1). */
export function mqttTransport(
  config: ServiceConfig,
  use: { publish: boolean; subscribe: boolean; mqtt5?: boolean },
): MqttTransportOptions {
  return {
    name: MQTT,
    url: config.mqttUrl,
    qos: 1,
    publish: use.publish,
    subscribe: use.subscribe,
    ...(use.mqtt5 && { otherClientParameters: { protocolVersion: 5 } }),
  };
}

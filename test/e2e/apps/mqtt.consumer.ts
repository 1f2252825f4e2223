import { Injectable } from '@nestjs/common';
import { Subscribe } from '../../../lib/nest/decorators/subscribe.decorator';
import { NS } from './topics';

/** Topics of the MQTT-only fixtures. */
export const MQTT_TOPICS = {
  routed: `${NS}/mqtt/routed`,
  qos: `${NS}/mqtt/qos`,
  shared: `${NS}/mqtt/shared`,
  garbage: `${NS}/mqtt/garbage`,
  retained: `${NS}/mqtt/retained`,
} as const;

/** Handlers of two MQTT connections, and of MQTT subscription options. */
@Injectable()
export class MqttConsumer {
  readonly orders: string[] = [];
  readonly audit: string[] = [];
  readonly received: string[] = [];

  @Subscribe(MQTT_TOPICS.routed, { transport: 'orders' })
  onOrders(topic: string): void {
    this.orders.push(topic);
  }

  @Subscribe(MQTT_TOPICS.routed, { transport: 'audit' })
  onAudit(topic: string): void {
    this.audit.push(topic);
  }

  @Subscribe(MQTT_TOPICS.qos, { transport: 'orders', qos: 2 })
  @Subscribe(MQTT_TOPICS.shared, { transport: 'orders', group: 'workers' })
  @Subscribe([MQTT_TOPICS.garbage, MQTT_TOPICS.retained], { transport: 'orders' })
  onReceived(topic: string): void {
    this.received.push(topic);
  }
}

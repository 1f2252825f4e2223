import type { MqttClient, Packet } from 'mqtt';

/** MQTT 5 PUBACK reason code: the broker took the message, but no subscription matched it. */
const NO_MATCHING_SUBSCRIBERS = 16;

/** The completion callback mqtt.js keeps for a pending QoS 1/2 publish. */
type PendingCallback = MqttClient['outgoing'][number]['cb'];

/**
 * @internal Tells which QoS 1 publishes of a client the broker acknowledged with "no matching
 * subscribers" (MQTT 5). mqtt.js takes that reason code as success and gives the completion
 * callback no trace of it, so the PUBACK is read as it arrives, before mqtt.js handles it: the
 * publish's callback is marked, and {@link take} says, once, whether it was.
 */
export class NoSubscribersWatch {
  private readonly marked = new WeakSet<PendingCallback>();

  /** Watch the acknowledgements `client` receives. */
  watch(client: MqttClient): void {
    client.on('packetreceive', (packet: Packet) => {
      if (packet.cmd !== 'puback' || packet.reasonCode !== NO_MATCHING_SUBSCRIBERS) return;
      const pending = client.outgoing[packet.messageId!];
      if (pending !== undefined) this.marked.add(pending.cb);
    });
  }

  /** Whether the publish completed by `callback` reached no subscriber (forgotten once asked). */
  take(callback: PendingCallback): boolean {
    return this.marked.delete(callback);
  }
}

import type { MqttClient } from 'mqtt';

/**
 * The PUBACKs an MQTT subscriber owes its broker for the QoS 1 messages of one connection.
 *
 * A QoS 1 message is acknowledged once every handler it reached has settled, so that a message
 * the broker counts as delivered has really been handled (a crash before that makes the broker
 * send it again, with a persistent session). mqtt.js acknowledges from inside its packet loop,
 * which reads nothing else until then; the subscriber therefore lets the loop go on at once and
 * sends the PUBACK itself, here, later.
 *
 * PUBACKs go out in the order the messages arrived, as MQTT asks of a client (MQTT-4.6.0-2): a
 * message handled early waits for those before it. Acknowledgements still owed when the
 * connection closes are dropped: the packet ids belong to that connection, and the broker sends
 * the messages again on the next one (persistent session) or forgets them (clean session).
 */
export class InboundAcks {
  /** Message ids in arrival order, from `head` on; `settled` says which are handled. */
  private readonly ids: number[] = [];
  private readonly settled: boolean[] = [];
  private head = 0;
  /** Sequence number of `ids[0]`, so that callbacks survive compaction. */
  private base = 0;
  private client: MqttClient | undefined;
  /** Counts connections (mqtt.js reconnects with the same client object). */
  private connection = 0;

  /** A connection starts or ends: owe nothing on it, and send on `client` from now on. */
  reset(client: MqttClient | undefined): void {
    this.base += this.ids.length;
    this.ids.length = this.settled.length = this.head = 0;
    this.client = client;
    this.connection++;
  }

  /** How many messages of this connection still wait for their PUBACK. */
  get owed(): number {
    return this.ids.length - this.head;
  }

  /** Owe a PUBACK for `messageId`; call what it returns once the message is handled. */
  take(messageId: number): () => void {
    const connection = this.connection;
    const sequence = this.base + this.ids.length;
    this.ids.push(messageId);
    this.settled.push(false);
    return () => {
      // A callback of a connection that has closed since: that connection's ids mean nothing now.
      if (connection !== this.connection || sequence < this.base + this.head) return;
      this.settled[sequence - this.base] = true;
      this.flush();
    };
  }

  private flush(): void {
    const client = this.client;
    if (client === undefined) return;
    const { ids, settled } = this;
    while (this.head < ids.length && settled[this.head]) {
      sendPuback(client, ids[this.head]);
      this.head++;
    }
    if (this.head === ids.length) {
      this.base += this.head;
      ids.length = settled.length = this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= ids.length) {
      ids.splice(0, this.head);
      settled.splice(0, this.head);
      this.base += this.head;
      this.head = 0;
    }
  }
}

type PacketSender = {
  _sendPacket(packet: { cmd: 'puback'; messageId: number }, callback?: () => void): void;
};

/**
 * Send a PUBACK through mqtt.js' own packet writer (what its handler would call), so that it
 * goes through the same stream, events and checks as every other packet. mqtt.js has no public
 * call for this; test/mqtt/mqtt.backpressure.spec.ts fails if that writer changes.
 */
function sendPuback(client: MqttClient, messageId: number): void {
  if (!client.connected) return;
  (client as unknown as PacketSender)._sendPacket({ cmd: 'puback', messageId });
}

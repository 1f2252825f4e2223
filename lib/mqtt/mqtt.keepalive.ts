import type { MqttClient } from 'mqtt';

/**
 * Keep an MQTT subscriber's connection alive while it holds back reading (a backlog is full).
 *
 * mqtt.js sends a PINGREQ one keepalive interval after the last PINGRESP it read, and closes the
 * connection when no PINGRESP was read within 1.5 intervals; the broker closes a client it heard
 * nothing from for 1.5 intervals. While reading is held back, the PINGRESP is there but unread,
 * behind the held-back messages. So:
 * - a keepalive timeout while `holding()` pings again instead of closing (a dead connection still
 *   shows as a socket error or close; once reading resumes the usual check applies again);
 * - a PINGRESP read late (more than half an interval after its PINGREQ) is answered with another
 *   PINGREQ at once, since mqtt.js counts the next interval from the late read and the broker
 *   would otherwise hear nothing for up to 1.5 intervals.
 */
export function keepAliveWhileHolding(client: MqttClient, holding: () => boolean): void {
  let lastPing = 0;
  const sendPing = client.sendPing;
  client.sendPing = () => {
    lastPing = Date.now();
    sendPing.call(client);
  };
  const onKeepaliveTimeout = client.onKeepaliveTimeout;
  client.onKeepaliveTimeout = () => {
    if (!holding()) return onKeepaliveTimeout.call(client);
    client.sendPing();
    client.reschedulePing(true);
  };
  const reschedulePing = client.reschedulePing;
  client.reschedulePing = (force?: boolean) => {
    reschedulePing.call(client, force);
    if (force && lastPing > 0 && Date.now() - lastPing > (client.keepalive * 1000) / 2) {
      client.sendPing();
    }
  };
}

import { announceSkip, EXTERNAL_BROKER_URL } from '../support/mqtt/test-broker';
import { mqttFactory, restartableMosquitto } from './mqtt-transport.factory';
import { describeTransportConformance } from './transport-conformance';
import { MQTT_MOSQUITTO_FEATURES } from './transport-features';

/*
 * The conformance suite on Mosquitto: the broker at BUSLINE_MQTT_URL (mqtt://127.0.0.1:1883 in
 * CI), plus private Mosquitto processes for the restart and persistent-session cases.
 */

if (EXTERNAL_BROKER_URL === undefined) {
  const why =
    'BUSLINE_MQTT_URL is not set; run BUSLINE_MQTT_URL=mqtt://127.0.0.1:1883 npm run test:mqtt ' +
    'with Mosquitto running';
  announceSkip(`transport conformance: ${MQTT_MOSQUITTO_FEATURES.name}`, why);
  it.skip(`transport conformance: ${MQTT_MOSQUITTO_FEATURES.name} [skipped: ${why}]`, () =>
    undefined);
} else {
  const url = EXTERNAL_BROKER_URL;
  describeTransportConformance(
    mqttFactory(
      MQTT_MOSQUITTO_FEATURES,
      async () => ({ url, close: async () => undefined }),
      restartableMosquitto,
    ),
  );
}

import { startEmbeddedBroker } from '../../lib/mqtt/embedded-broker';
import { mqttFactory, restartableEmbedded } from './mqtt-transport.factory';
import { describeTransportConformance } from './transport-conformance';
import { MQTT_EMBEDDED_FEATURES } from './transport-features';

describeTransportConformance(
  mqttFactory(MQTT_EMBEDDED_FEATURES, () => startEmbeddedBroker(), restartableEmbedded),
);

// Entry `busline/testing`: what users need in their own tests. The embedded broker is aedes (an
// optional peer: npm install aedes mqtt).
import './testing.peers';

export {
  startEmbeddedBroker,
  type EmbeddedBroker,
  type EmbeddedBrokerOptions,
  type EmbeddedBrokerCredentials,
} from '../mqtt/embedded-broker';

import { AsyncLocalEventBus } from '../../lib/local/async-local-event-bus';
import { LocalPublisher } from '../../lib/local/local.publisher';
import { LocalSubscriber } from '../../lib/local/local.subscriber';
import { describeTransportConformance } from './transport-conformance';
import { LOCAL_FEATURES } from './transport-features';

describeTransportConformance({
  features: LOCAL_FEATURES,
  reliablePublish: {},
  reliableSubscribe: {},
  async setup() {
    const eventbus = new AsyncLocalEventBus();
    return {
      publisher: (options) => new LocalPublisher({ eventbus, ...options }),
      subscriber: ({ persistentId: _p, mqtt5: _m, ...options } = {}) =>
        new LocalSubscriber({ eventbus, ...options }),
      close: async () => undefined,
    };
  },
});

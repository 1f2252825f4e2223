import { requirePeers } from '../core/peer-dependencies';

// Imported first by busline/testing: the embedded broker is aedes, its clients mqtt.js.
requirePeers('busline/testing', ['aedes', 'mqtt']);

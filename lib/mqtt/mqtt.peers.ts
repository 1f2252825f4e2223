import { requirePeers } from '../core/peer-dependencies';

// Imported first by busline/mqtt: says what to install before anything loads mqtt.
requirePeers('busline/mqtt', ['mqtt']);

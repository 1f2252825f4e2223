import type { TransportModel } from './app-model';
import type { JsonSchema } from './asyncapi.types';

const PROTOCOL_VERSIONS: Record<number, string> = { 3: '3.1', 4: '3.1.1', 5: '5' };

/** @internal The AsyncAPI server of a transport (never with credentials). */
export function serverOf(
  transport: TransportModel,
  override: { host?: string; protocol?: string; description?: string } | undefined,
): JsonSchema {
  const server = baseServer(transport);
  return {
    ...server,
    ...(override?.host !== undefined && { host: override.host }),
    ...(override?.protocol !== undefined && { protocol: override.protocol }),
    ...(override?.description !== undefined && { description: override.description }),
    'x-busline-transport': transport.name,
  };
}

function baseServer(transport: TransportModel): JsonSchema {
  if (transport.kind === 'local') {
    return {
      host: 'localhost',
      protocol: 'busline-local',
      description:
        "Busline's in-process event bus: events reach subscribers of the same process only, " +
        'as objects (no broker, no serialization).',
    };
  }
  if (transport.kind === 'custom') {
    return {
      host: 'localhost',
      protocol: `busline-${transport.name}`,
      description: `A user-supplied Busline transport (${(transport.classes ?? []).join(', ')}).`,
    };
  }
  const options = transport.mqtt!;
  const client = options.otherClientParameters ?? {};
  let host: string;
  let protocol = 'mqtt';
  // The path of a WebSocket URL (ws://broker:8080/mqtt) is where the broker listens.
  let pathname: string | undefined;
  if (options.url !== undefined) {
    const url = new URL(options.url);
    host = url.host;
    protocol = url.protocol.replace(/:$/, '');
    if (url.pathname !== '' && url.pathname !== '/') pathname = url.pathname;
  } else {
    host = `${options.hostname}:${options.port ?? 1883}`;
    if (typeof client.protocol === 'string') protocol = client.protocol;
  }
  const version = PROTOCOL_VERSIONS[client.protocolVersion ?? 4] ?? '3.1.1';
  return {
    host,
    protocol:
      protocol === 'tcp'
        ? 'mqtt'
        : protocol === 'tls' || protocol === 'mqtts'
          ? 'secure-mqtt'
          : protocol,
    protocolVersion: version,
    ...(pathname !== undefined && { pathname }),
    description: `MQTT broker (MQTT ${version}).`,
    bindings: {
      mqtt: {
        cleanSession: client.clean ?? true,
        keepAlive: client.keepalive ?? 60,
        ...(typeof client.clientId === 'string' && { clientId: client.clientId }),
        bindingVersion: '0.2.0',
      },
    },
  };
}

/**
 * @internal What to check when a connection to the broker failed, from what went wrong: the
 * reason code of a refused CONNACK, the socket's error code, or the message.
 */
export function hintFor(
  message: string,
  code: string | undefined,
  reasonCode: number | undefined,
  timeout: number,
): string {
  switch (reasonCode) {
    case 4: // MQTT 3.1.1: bad user name or password
    case 134: // MQTT 5: bad user name or password
      return 'The broker refused the credentials: check username and password in otherClientParameters';
    case 5: // MQTT 3.1.1: not authorized
    case 135: // MQTT 5: not authorized
      return 'The broker does not authorize this client: check its credentials and ACLs';
    case 2: // identifier rejected
    case 133:
      return 'The broker refused the client id: pass another clientId in otherClientParameters';
    case 1: // unacceptable protocol version
    case 132:
      return 'The broker does not speak this MQTT version: set otherClientParameters.protocolVersion';
  }
  switch (code) {
    case 'ECONNREFUSED':
      return 'Nothing accepts connections there: start the broker, or fix hostname/port/url';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The host name does not resolve: fix hostname/url';
    case 'ECONNRESET':
      return 'The broker reset the connection: check that the port speaks MQTT with this protocol (TLS or not)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'The host is not reachable from here';
  }
  if (message === 'connack timeout') {
    return `No CONNACK came within ${timeout} ms (connectTimeout): check that the host is reachable and the port is an MQTT listener`;
  }
  if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|ALTNAME|VERIFY/i.test(code)) {
    return 'The TLS handshake failed: check ca, cert, key and servername in otherClientParameters';
  }
  return 'Check hostname/port/url, TLS settings and credentials';
}

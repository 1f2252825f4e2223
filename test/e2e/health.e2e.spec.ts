import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { BuslineModule } from '../../lib/nest/busline.module';
import { BuslineHealthIndicator } from '../../lib/nest/health/busline.health-indicator';
import { startRestartableBroker, type RestartableBroker } from '../support/mqtt/restartable-broker';
import { closeApps, startApp } from './support/harness';

/*
 * The Terminus health check of an application whose broker goes away and comes back: a private
 * Mosquitto process stopped and started by PID when BUSLINE_MQTT_URL is set, else the embedded
 * broker stopped and started in process.
 */

jest.setTimeout(60_000);

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly busline: BuslineHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.busline.isHealthy('busline')]);
  }
}

interface HealthBody {
  status: string;
  details: {
    busline: {
      status: string;
      transports: Record<string, { status: string; since: string; broker?: string }>;
    };
  };
}

let broker: RestartableBroker;
beforeEach(async () => {
  broker = await startRestartableBroker();
});
afterEach(async () => {
  await closeApps();
  await broker.close();
});

async function startHealthApp(): Promise<string> {
  const { app } = await startApp({
    imports: [
      BuslineModule.forRoot({
        local: true,
        mqtt: { url: broker.url, otherClientParameters: { reconnectPeriod: 50, keepalive: 2 } },
      }),
      TerminusModule.forRoot({ logger: false }),
    ],
    controllers: [HealthController],
  });
  await app.listen(0, '127.0.0.1');
  return `${await app.getUrl()}/health`;
}

/** Ask the health endpoint until `accept` says yes (every 50 ms, at most 10 s). */
async function healthUntil(
  url: string,
  accept: (code: number) => boolean,
  what: string,
): Promise<{ code: number; body: HealthBody }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await health(url);
    if (accept(answer.code)) return answer;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}: last ${answer.code}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function health(url: string): Promise<{ code: number; body: HealthBody }> {
  const response = await fetch(url);
  return { code: response.status, body: (await response.json()) as HealthBody };
}

it('reports each transport up, MQTT down (reconnecting, since when) while the broker is away, and up again', async () => {
  const url = await startHealthApp();
  const up = await health(url);
  expect(up.code).toBe(200);
  expect(up.body.status).toBe('ok');
  expect(up.body.details.busline.status).toBe('up');
  expect(up.body.details.busline.transports.local.status).toBe('connected');
  expect(up.body.details.busline.transports.mqtt).toMatchObject({
    status: 'connected',
    broker: broker.url,
  });

  const stoppedAt = Date.now();
  await broker.stop();
  const down = await healthUntil(url, (code) => code === 503, 'the health check to fail');
  expect(down.body.status).toBe('error');
  expect(down.body.details.busline.status).toBe('down');
  expect(down.body.details.busline.transports.local.status).toBe('connected');
  const mqtt = down.body.details.busline.transports.mqtt;
  expect(mqtt.status).toBe('reconnecting');
  expect(Date.parse(mqtt.since)).toBeGreaterThanOrEqual(stoppedAt - 1);

  await broker.start();
  const again = await healthUntil(url, (code) => code === 200, 'the health check to pass');
  expect(again.body.details.busline.transports.mqtt.status).toBe('connected');
});

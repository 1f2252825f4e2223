import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { BuslineClient, BuslineHealthIndicator, BuslineModule } from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';

@Controller('health')
export class HealthController {
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

export async function main(): Promise<void> {
  const broker = await startEmbeddedBroker();

  @Module({
    imports: [
      BuslineModule.forRoot({
        mqtt: { url: broker.url, otherClientParameters: { reconnectPeriod: 100 } },
      }),
      TerminusModule,
    ],
    controllers: [HealthController],
  })
  class AppModule {}

  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = `${await app.getUrl()}/health`;
  const check = async () => {
    const response = await fetch(url);
    const body = (await response.json()) as {
      details: { busline: { transports: { mqtt: { status: string } } } };
    };
    return `${response.status} mqtt ${body.details.busline.transports.mqtt.status}`;
  };
  const until = async (code: string) => {
    for (let answer = await check(); ; answer = await check()) {
      if (answer.startsWith(code)) return answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  // Without Terminus: every status change of the client's publishers and subscribers.
  const stop = app.get(BuslineClient).onStatus(({ role, status }) => {
    if (status !== 'connecting') console.log(`${role}: ${status}`);
  });

  console.log(await check()); // 200 mqtt connected
  await broker.stop();
  console.log(await until('503')); // 503 mqtt reconnecting
  await broker.start();
  console.log(await until('200')); // 200 mqtt connected

  stop();
  await app.close();
  await broker.close();
}

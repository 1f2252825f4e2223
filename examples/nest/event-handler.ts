import { Injectable, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Event, EventHandler, PubSubClient, type StringMessage } from 'busline';
import { BuslineModule } from 'busline/nest';

@Injectable()
export class AuditService implements OnModuleInit {
  readonly entries: string[] = [];

  constructor(private readonly bus: PubSubClient) {}

  async onModuleInit(): Promise<void> {
    await this.bus.subscribe('audit/#', this.onAudit); // no .bind(this)
  }

  @EventHandler()
  onAudit(topic: string, event: Event<StringMessage>): void {
    this.entries.push(`${topic}: ${event.payload?.value}`);
  }
}

@Injectable()
export class StartupAnnouncer implements OnApplicationBootstrap {
  constructor(private readonly bus: PubSubClient) {}

  // Publishing during startup is safe: it waits until Busline is ready.
  async onApplicationBootstrap(): Promise<void> {
    await this.bus.publish('audit/app', 'started');
  }
}

@Module({
  imports: [BuslineModule.forRoot({ local: true })],
  providers: [AuditService, StartupAnnouncer],
})
export class AppModule {}

export async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  await app.get(PubSubClient).publish('audit/users/ada', 'signed in');
  await app.close();
  console.log(app.get(AuditService).entries.join('\n'));
}

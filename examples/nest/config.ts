import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  BuslineClient,
  BuslineConnectionError,
  BuslineModule,
  type BuslineModuleOptions,
} from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';

/** Settings from the environment, read as @nestjs/config's ConfigService reads them. */
@Injectable()
export class AppConfig {
  get(key: string): string | undefined {
    return process.env[key];
  }

  getOrThrow(key: string): string {
    const value = this.get(key);
    if (value === undefined) throw new Error(`${key} is not set`);
    return value;
  }
}

@Module({ providers: [AppConfig], exports: [AppConfig] })
export class AppConfigModule {}

@Module({
  imports: [
    BuslineModule.forRootAsync({
      imports: [AppConfigModule],
      inject: [AppConfig],
      useFactory: (config: AppConfig): BuslineModuleOptions => ({
        mqtt: {
          url: config.getOrThrow('MQTT_URL'),
          otherClientParameters: {
            username: config.get('MQTT_USER'),
            password: config.get('MQTT_PASSWORD'),
          },
        },
      }),
    }),
  ],
})
export class AppModule {}

export async function main(): Promise<void> {
  // A broker that checks credentials, and the environment a deployment would set.
  const broker = await startEmbeddedBroker({
    authenticate: ({ username, password }) => username === 'orders' && password === 's3cret',
  });
  process.env.MQTT_URL = broker.url;
  process.env.MQTT_USER = 'orders';
  process.env.MQTT_PASSWORD = 's3cret';

  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  console.log(`connected: ${app.get(BuslineClient).transportNames.join(', ')}`);
  await app.close();

  // With a wrong password, the application does not start.
  process.env.MQTT_PASSWORD = 'wrong';
  try {
    await NestFactory.createApplicationContext(AppModule, { logger: false });
  } catch (error) {
    if (!(error instanceof BuslineConnectionError)) throw error;
    console.log(`${error.name} on transport '${error.transport}'`); // error.message says why
  }
  await broker.close();
}

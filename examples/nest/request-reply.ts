import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JsonMessage, Message, RemoteHandlerError } from 'busline';
import { BuslineClient, BuslineModule, Payload, Subscribe } from 'busline/nest';
import { startEmbeddedBroker } from 'busline/testing';

@Message('pricing.QuoteRequest')
export class QuoteRequest extends JsonMessage {
  sku = '';
  quantity = 1;
}

@Message('pricing.Quote')
export class Quote extends JsonMessage {
  sku = '';
  cents = 0;
}

// The pricing service: the return value of a @Subscribe method is the reply.
@Injectable()
export class PricingService {
  private readonly prices = new Map([['lamp', 1_999]]);

  @Subscribe('pricing/quote')
  quote(@Payload() request: QuoteRequest): Quote {
    const price = this.prices.get(request.sku);
    if (price === undefined) throw new Error(`unknown product ${request.sku}`);
    return Object.assign(new Quote(), { sku: request.sku, cents: price * request.quantity });
  }
}

// The shop asks through the injected client.
@Injectable()
export class Shop {
  constructor(private readonly bus: BuslineClient) {}

  async price(sku: string, quantity: number): Promise<number> {
    const request = Object.assign(new QuoteRequest(), { sku, quantity });
    const reply = await this.bus.request('pricing/quote', request, { timeout: 5_000 });
    return (reply.payload as Quote).cents;
  }
}

export async function main(): Promise<void> {
  const broker = await startEmbeddedBroker();
  const mqtt = { url: broker.url };

  @Module({ imports: [BuslineModule.forRoot({ mqtt })], providers: [PricingService] })
  class PricingApp {}

  @Module({ imports: [BuslineModule.forRoot({ mqtt })], providers: [Shop] })
  class ShopApp {}

  const pricing = await NestFactory.createApplicationContext(PricingApp, { logger: false });
  const shop = await NestFactory.createApplicationContext(ShopApp, { logger: false });

  console.log(await shop.get(Shop).price('lamp', 2)); // 3998
  await shop
    .get(Shop)
    .price('desk', 1)
    .catch((error: unknown) => {
      if (error instanceof RemoteHandlerError) console.log(error.remoteMessage); // unknown product desk
    });

  await shop.close();
  await pricing.close();
  await broker.close();
}

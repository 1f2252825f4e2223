import 'reflect-metadata';
import { IsInt, IsNotEmpty, IsPositive, IsString } from 'class-validator';
import { Message } from '../../../lib/core/message.decorator';
import { JsonMessage } from '../../../lib/core/messages/json.message';
import { NS } from './topics';

/** Topics of the request/reply fixtures. */
export const PRICING = {
  quote: `${NS}/pricing/quote`,
  silent: `${NS}/pricing/silent`,
  pool: `${NS}/pricing/pool`,
  shared: `${NS}/pricing/shared`,
} as const;

/** A request for the price of some units of a product; validated on arrival. */
@Message('e2e.QuoteRequest')
export class QuoteRequest extends JsonMessage {
  @IsString()
  @IsNotEmpty()
  sku = '';

  @IsInt()
  @IsPositive()
  quantity = 1;

  static of(sku: string, quantity: number): QuoteRequest {
    return Object.assign(new QuoteRequest(), { sku, quantity });
  }
}

/** The reply: the total price in cents. */
@Message('e2e.Quote')
export class Quote extends JsonMessage {
  sku = '';
  cents = 0;
}

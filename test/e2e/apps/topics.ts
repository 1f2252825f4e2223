import { randomUUID } from 'node:crypto';

/**
 * Topics of the fixture apps, under a namespace unique to this test process: test files run in
 * parallel workers and, on MQTT, may share one broker.
 */
export const NS = `busline-e2e/${randomUUID().slice(0, 8)}`;

export const TOPICS = {
  created: `${NS}/orders/created`,
  shipped: `${NS}/orders/shipped`,
  cancelled: `${NS}/orders/cancelled`,
  anyShipment: `${NS}/shipments/+`,
  byId: `${NS}/orders/+id/status/#rest`,
  notes: `${NS}/notes`,
  fail: `${NS}/fail`,
  flaky: `${NS}/flaky`,
  slow: `${NS}/slow`,
  boot: `${NS}/boot`,
  init: `${NS}/init`,
  dead: `${NS}/dead-letters`,
  audit: `${NS}/audit`,
} as const;

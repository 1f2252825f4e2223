/*
 * The flow page of the running e-commerce sample, in headless Chromium (Debian's `chromium`,
 * driven by playwright-core): the five services' topics and handlers are drawn, and the counters
 * move when orders are placed. Skipped when /usr/bin/chromium is missing outside CI; in CI (which
 * installs it) a missing browser fails. With UPDATE_FLOW_PAGE_SCREENSHOT=1 it also writes the
 * screenshot docs/flow-page.md shows (docs/flow-page.png).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { type EmbeddedBroker, startEmbeddedBroker } from 'busline/testing';
import { FLOW_PAGE_PATH, startEcommerce, type Ecommerce } from '../../sample/ecommerce/ecommerce';
import { DEMO_ORDERS, placeOrder, waitForDeliveries } from '../../sample/ecommerce/flow';

jest.setTimeout(60_000);

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
const EXTERNAL_BROKER_URL = process.env.BUSLINE_MQTT_URL || undefined;
const SCREENSHOT = join(__dirname, '..', '..', 'docs', 'flow-page.png');

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(`flow page browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
}
const describeWithChromium = HAVE_CHROMIUM || IN_CI ? describe : describe.skip;
const SKIPPED = HAVE_CHROMIUM || IN_CI ? '' : ` [skipped: ${CHROMIUM} is missing]`;

/** The events count a table row shows, by its data attribute. */
async function rowEvents(page: Page, attribute: string, name: string): Promise<number> {
  const value = await page
    .locator(`tr[${attribute}="${name}"]`)
    .first()
    .getAttribute('data-events');
  return Number(value);
}

describeWithChromium(`flow page of the e-commerce sample, in headless Chromium${SKIPPED}`, () => {
  let broker: EmbeddedBroker | undefined;
  let shop: Ecommerce | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI=true but ${CHROMIUM} is missing: install chromium`);
    broker = EXTERNAL_BROKER_URL === undefined ? await startEmbeddedBroker() : undefined;
    shop = await startEcommerce({
      mqttUrl: EXTERNAL_BROKER_URL ?? broker!.url,
      logger: false,
      flowPage: { path: FLOW_PAGE_PATH, refreshInterval: 250 },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await broker?.close();
  });

  it("draws the five services' topics and handlers, and its counters move as orders arrive", async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(shop!.flowPageUrl!);

    // Every service is listed, the page's own application marked.
    for (const name of [
      'backend',
      'email-sender',
      'supplier-notifier',
      'data-processor',
      'ai-model',
    ]) {
      await page.locator(`.app[data-app="${name}"]`).waitFor();
    }
    // The topics on their buses and each service's handler, in the diagram and in the tables.
    await page.locator('svg .node.topic[data-label="new_order"]').waitFor();
    await page.locator('svg .node.topic[data-label="inbound_data"]').waitFor();
    for (const handler of [
      'ConfirmationEmailSender.onNewOrder',
      'SupplierNotifier.onNewOrder',
      'DataProcessor.onNewOrder',
      'AIModel.onInboundData',
    ]) {
      await page.locator(`svg .node.handler[data-label="${handler}"]`).waitFor();
    }
    expect(await page.locator('svg path.edge').count()).toBeGreaterThanOrEqual(4);
    // Zero on a broker of its own; another test's orders may arrive on a shared one.
    const before = await rowEvents(page, 'data-handler', 'AIModel.onInboundData');
    const topicBefore = await rowEvents(page, 'data-topic', 'new_order');

    // Orders placed: the counters on the page move, and what the backend publishes appears.
    const placed = [];
    for (const order of DEMO_ORDERS) placed.push(await placeOrder(shop!.backendUrl!, order));
    expect(await waitForDeliveries(shop!, placed, 10_000)).toEqual([]);
    const orders = DEMO_ORDERS.length;
    // The page's own polling brings the new counts (checked in the page, not through the API).
    await page.waitForFunction(
      `Number(document.querySelector('tr[data-handler="AIModel.onInboundData"]')` +
        `?.getAttribute('data-events')) >= ${before + orders} && ` +
        `Number(document.querySelector('tr[data-topic="new_order"]')` +
        `?.getAttribute('data-events')) >= ${topicBefore + orders}`,
      undefined,
      { timeout: 10_000 },
    );
    if (EXTERNAL_BROKER_URL === undefined) {
      expect(await rowEvents(page, 'data-handler', 'SupplierNotifier.onNewOrder')).toBe(orders);
    }
    await page.locator('svg .node.publication[data-label="new_order"]').waitFor();
    await page.locator('details[data-message="NewOrderMessage"]').waitFor();

    // The AsyncAPI document of the five services, linked from the page.
    for (const label of ['AsyncAPI (JSON)', 'AsyncAPI (YAML)']) {
      const href = await page.locator('#downloads a', { hasText: label }).getAttribute('href');
      const response = await page.request.get(new URL(href!, shop!.backendUrl).toString());
      expect(response.status()).toBe(200);
      expect(await response.text()).toMatch(/"?asyncapi"?: "3\.0\.0"/);
    }

    // Nothing was fetched from anywhere but the application: the page works offline.
    const origin = new URL(shop!.backendUrl!).origin;
    expect(requests.filter((url) => !url.startsWith(origin))).toEqual([]);

    if (process.env.UPDATE_FLOW_PAGE_SCREENSHOT === '1') {
      await page.locator('details[data-message="NewOrderMessage"] summary').click();
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
    await page.close();
  });
});

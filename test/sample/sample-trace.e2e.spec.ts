/*
 * `npm run sample -- --trace`: the sample registers the OpenTelemetry SDK and prints each order's
 * trace. Each order is one trace: the backend's publish, the three handlers of the MQTT event, and
 * the data processor's local publish and the AI model's handler below it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(40_000);

const ROOT = join(__dirname, '../..');

function runSample(args: readonly string[]): Promise<{ code: number | null; stdout: string }> {
  const env = { ...process.env };
  delete env.EMAIL_SENDER_GROUP;
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'sample/ecommerce/main.ts', ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

it('prints one trace per order, each a tree from the publish to the last handler', async () => {
  const { code, stdout } = await runSample(['--trace']);
  expect(code).toBe(0);
  const traces = stdout
    .slice(stdout.indexOf('\nTraces (18 spans):'))
    .split(/\ntrace [0-9a-f]{32}\n/);
  expect(traces).toHaveLength(4);
  // Depth and text of each line; the three handlers of new_order start in any order.
  const shape = (tree: string): string[] =>
    tree
      .trim()
      .split('\n')
      .map((line) => line.replace(/ {2}[\d.]+ ms$/, '').replace(/[│├└─]/g, ' '));
  for (const tree of traces.slice(1)) {
    const lines = shape(tree);
    expect([...lines].sort()).toEqual(
      [
        '   publish new_order  PRODUCER  mqtt',
        '      process new_order  CONSUMER  mqtt  ConfirmationEmailSender.onNewOrder',
        '      process new_order  CONSUMER  mqtt  SupplierNotifier.onNewOrder',
        '      process new_order  CONSUMER  mqtt  DataProcessor.onNewOrder',
        '         publish inbound_data  PRODUCER  busline',
        '            process inbound_data  CONSUMER  busline  AIModel.onInboundData',
      ].sort(),
    );
    const processor = lines.findIndex((line) => line.endsWith('DataProcessor.onNewOrder'));
    expect(lines[processor + 1]).toMatch(/^ {9}publish inbound_data/);
    expect(lines[processor + 2]).toMatch(/^ {12}process inbound_data/);
  }
});

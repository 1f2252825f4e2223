import { Parser } from '@asyncapi/parser';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../cli/cli-process';
import { printed } from './run-example';

/*
 * The examples of docs/asyncapi.md and docs/cli.md: the AsyncAPI example's main() runs here with
 * what it prints compared; the CLI example module is documented by `busline asyncapi` itself.
 */

jest.setTimeout(60_000);

const run = (file: string) => printed(file, { isolated: true });

describe('AsyncAPI and CLI examples', () => {
  it('asyncapi: the document of an application, from its decorators', async () => {
    expect(await run('examples/nest/asyncapi.ts')).toEqual([
      'channel orders/{id}/placed with parameters id',
      'Checkout.place.send: send by Checkout.place',
      'Shipping.onPlaced.receive: receive by Shipping.onPlaced',
      'OrderPlaced requires customer,lines,priority',
      'asyncapi: "3.0.0"',
    ]);
  });

  it('cli: busline asyncapi documents the module file the page shows', async () => {
    const result = await runCli(['asyncapi', 'examples/cli/shop.modules.ts', '--format', 'yaml']);
    expect(result.code).toBe(0);
    const document = parseYaml(result.stdout) as {
      operations: Record<string, { action: string }>;
    };
    expect(
      Object.entries(document.operations).map(([id, operation]) => [id, operation.action]),
    ).toEqual([
      ['Greeter.send', 'send'],
      ['Listener.onGreeting.receive', 'receive'],
    ]);
    const { diagnostics } = await new Parser().parse(result.stdout);
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
  });
});

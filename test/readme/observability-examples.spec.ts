import { printed } from './run-example';

/* The examples of docs/observability.md, run with what they print compared. */

jest.setTimeout(30_000);

describe('observability examples', () => {
  it('health: Terminus reports the MQTT transport down while the broker is away, and the client streams each change', async () => {
    const lines = await printed('examples/nest/health.ts');
    const checks = lines.filter((line) => /^\d{3} /.test(line));
    expect(checks).toEqual(['200 mqtt connected', '503 mqtt reconnecting', '200 mqtt connected']);
    // Publisher and subscriber each: lost, back, then closed with the app.
    const changes = lines.filter((line) => !/^\d{3} /.test(line));
    for (const role of ['publisher', 'subscriber']) {
      expect(changes.filter((line) => line.startsWith(role))).toEqual([
        `${role}: reconnecting`,
        `${role}: connected`,
      ]);
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transportCharacteristicsTable } from './transport-features';

/*
 * The README's table of transport characteristics is the one generated from the conformance
 * suite's feature flags: change a flag, and this test prints the table to paste.
 */

const ROOT = join(__dirname, '../..');
const BEGIN = '<!-- transport-characteristics:begin -->';
const END = '<!-- transport-characteristics:end -->';

function tableIn(text: string): string | undefined {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin === -1 || end === -1) return undefined;
  return text.slice(begin + BEGIN.length, end).trim();
}

it('README.md shows the transport table generated from the suite flags', () => {
  const table = tableIn(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  expect(table).toBe(transportCharacteristicsTable());
});

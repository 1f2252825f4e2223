/*
 * Folders of lib/core that must not import each other: shared helpers live one level down
 * (lib/core/codec, lib/core/errors), never in one of the two.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const root = join(__dirname, '../../..');

/** Every relative import of the .ts files in `folder` (under lib/), as paths from the root. */
function importsOf(folder: string): { file: string; target: string }[] {
  const found: { file: string; target: string }[] = [];
  for (const name of readdirSync(join(root, folder))) {
    if (!name.endsWith('.ts')) continue;
    const file = join(folder, name);
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/from\s+'(\.[^']+)'/g)) {
      found.push({ file, target: normalize(join(dirname(file), match[1])) });
    }
  }
  return found;
}

describe('lib/core folders', () => {
  it.each([
    ['lib/core/wire', 'lib/core/messages'],
    ['lib/core/messages', 'lib/core/wire'],
  ])('%s does not import %s', (from, to) => {
    const offending = importsOf(from).filter(({ target }) => target.startsWith(normalize(to)));
    expect(offending).toEqual([]);
  });

  it('lib/core/codec imports nothing else of Busline', () => {
    const outside = importsOf('lib/core/codec').filter(
      ({ target }) => !relative('lib/core/codec', target).match(/^[^./]/),
    );
    expect(outside).toEqual([]);
  });
});

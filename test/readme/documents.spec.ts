import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { anchors, codeBlocks, documents, links, read, render, root } from './markdown';

/*
 * README.md and docs/*.md: every TypeScript block is an example file, as it is in the file, and
 * every relative link leads to a file the published package has (README.md, LICENSE, docs/).
 * The examples themselves run in the other specs of this folder.
 */

/** What `npm pack` puts next to dist/ that a document may link to (docs/ has its screenshots). */
const PUBLISHED = [/^README\.md$/, /^LICENSE$/, /^docs\/[^/]+\.(md|png)$/];

/** Code in these languages must be an example under examples/, in a ```ts block. */
const CODE = new Set(['ts', 'typescript', 'tsx', 'js', 'javascript', 'jsx', 'mjs', 'cjs']);

function exampleFiles(dir = 'examples'): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) {
      return name === 'support' ? [] : exampleFiles(path);
    }
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe.each(documents)('%s', (document) => {
  const text = read(document);

  it('shows every example exactly as its file under examples/ is', () => {
    expect(render(text)).toBe(text);
  });

  it('has no code block that is not an example file', () => {
    const unchecked = codeBlocks(text)
      .filter((block) => CODE.has(block.lang))
      .filter((block) => block.lang !== 'ts' || block.marker?.kind !== 'example')
      .map((block) => `line ${block.line}: \`\`\`${block.lang} without <!-- example: ... -->`);
    expect(unchecked).toEqual([]);
  });

  it('names example files that exist', () => {
    const missing = codeBlocks(text)
      .filter((block) => block.marker?.kind === 'example')
      .map((block) => block.marker!.value)
      .filter((file) => !existsSync(join(root, file)));
    expect(missing).toEqual([]);
  });

  it('links only to files of the published package, and to headings they have', () => {
    const broken: string[] = [];
    for (const link of links(text)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
      const [path, anchor] = link.split('#', 2);
      const target = path === '' ? document : normalize(join(dirname(document), path));
      const posix = target.split(sep).join('/');
      if (posix.startsWith('..') || !PUBLISHED.some((pattern) => pattern.test(posix))) {
        broken.push(`${link}: ${posix} is not published (README.md, LICENSE, docs/*.md)`);
      } else if (!existsSync(join(root, posix))) {
        broken.push(`${link}: ${posix} does not exist`);
      } else if (anchor !== undefined && !anchors(read(posix)).has(anchor)) {
        broken.push(`${link}: ${posix} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });
});

it('every example under examples/ stands in the README or a docs page', () => {
  const shown = new Set(
    documents.flatMap((document) =>
      codeBlocks(read(document))
        .filter((block) => block.marker?.kind === 'example')
        .map((block) => block.marker!.value),
    ),
  );
  const orphans = exampleFiles().filter((file) => !shown.has(file));
  expect(orphans).toEqual([]);
});

it('LICENSE is the license package.json names', () => {
  const { license } = JSON.parse(read('package.json')) as { license: string };
  expect(license).toBe('MIT');
  expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} Busline contributors\n/);
});

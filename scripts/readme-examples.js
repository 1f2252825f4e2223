'use strict';
/*
 * The code of README.md and docs/*.md lives in files under examples/, which the tests type-check
 * and run. Each one stands in a document after a marker line `<!-- example: examples/NAME.ts -->`,
 * in a ```ts block; a ```ts block without a marker fails the tests (test/readme/).
 *
 *   node scripts/readme-examples.js          copy every example file into its blocks
 *   node scripts/readme-examples.js --check  exit 1 if a block differs from its file
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const MARKER = /<!-- example: (\S+) -->\n```ts\n[\s\S]*?```/g;

/** The documents whose code is checked: README.md and docs/*.md, as paths from the root. */
function documents() {
  const docs = fs
    .readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

/** `text` with the block after every marker replaced by the current content of its file. */
function render(text) {
  return text.replace(MARKER, (_, file) => {
    const code = fs.readFileSync(path.join(root, file), 'utf8').trimEnd();
    return `<!-- example: ${file} -->\n\`\`\`ts\n${code}\n\`\`\``;
  });
}

module.exports = { render, MARKER, documents, root };

if (require.main === module) {
  const check = process.argv.includes('--check');
  const stale = [];
  for (const document of documents()) {
    const file = path.join(root, document);
    const text = fs.readFileSync(file, 'utf8');
    const rendered = render(text);
    if (rendered === text) continue;
    stale.push(document);
    if (!check) fs.writeFileSync(file, rendered);
  }
  if (check && stale.length > 0) {
    console.error(
      `Examples differ from examples/ in ${stale.join(', ')}: run node scripts/readme-examples.js`,
    );
    process.exit(1);
  }
  if (!check && stale.length > 0) console.log(`updated ${stale.join(', ')}`);
}

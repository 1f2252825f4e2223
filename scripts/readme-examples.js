'use strict';
/*
 * README code examples live in files under examples/ (type-checked and run by the tests). Each one
 * stands in README.md after a marker line `<!-- example: examples/NAME.ts -->`, in a ```ts block.
 *
 *   node scripts/readme-examples.js          copy every example file into its README block
 *   node scripts/readme-examples.js --check  exit 1 if a block differs from its file
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const MARKER = /<!-- example: (\S+) -->\n```ts\n[\s\S]*?```/g;

function render(readme) {
  return readme.replace(MARKER, (_, file) => {
    const code = fs.readFileSync(path.join(root, file), 'utf8').trimEnd();
    return `<!-- example: ${file} -->\n\`\`\`ts\n${code}\n\`\`\``;
  });
}

module.exports = { render, MARKER };

if (require.main === module) {
  const readmePath = path.join(root, 'README.md');
  const readme = fs.readFileSync(readmePath, 'utf8');
  const rendered = render(readme);
  if (process.argv.includes('--check')) {
    if (rendered !== readme) {
      console.error(
        'README.md examples differ from examples/; run node scripts/readme-examples.js',
      );
      process.exit(1);
    }
  } else {
    fs.writeFileSync(readmePath, rendered);
  }
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Just enough Markdown for the README and docs tests: fenced code blocks with the marker comment
 * before them, links outside code, and the anchors GitHub gives headings.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require('../../scripts/readme-examples.js') as {
  render: (text: string) => string;
  documents: () => string[];
  root: string;
};

export const { render, root } = script;

/** README.md and docs/*.md, as paths from the repository root. */
export const documents: readonly string[] = script.documents();

/** The text of a document (a path from the repository root). */
export function read(document: string): string {
  return readFileSync(join(root, document), 'utf8');
}

export interface CodeBlock {
  /** The info string after the opening fence (`ts`, `bash`, ``). */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** `<!-- kind: value -->` on the line just before the fence, if there is one. */
  readonly marker?: { readonly kind: string; readonly value: string };
}

const FENCE = /^(`{3,}|~{3,})\s*(\S*)/;
const MARKER = /^<!-- ([a-z]+): (\S+) -->$/;

/** Every fenced code block of `text`, in order. */
export function codeBlocks(text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (open === null) continue;
    const fence = open[1];
    let end = i + 1;
    while (end < lines.length && !lines[end].startsWith(fence)) end++;
    const marker = i > 0 ? MARKER.exec(lines[i - 1]) : null;
    blocks.push({
      lang: open[2],
      code: lines.slice(i + 1, end).join('\n'),
      line: i + 1,
      marker: marker === null ? undefined : { kind: marker[1], value: marker[2] },
    });
    i = end;
  }
  return blocks;
}

/** `text` without its fenced code blocks. */
function withoutFences(text: string): string {
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (open === null) {
      kept.push(lines[i]);
      continue;
    }
    while (i + 1 < lines.length && !lines[i + 1].startsWith(open[1])) i++;
    i++;
  }
  return kept.join('\n');
}

/** `text` without its code blocks and inline code spans, for finding links. */
function prose(text: string): string {
  return withoutFences(text).replace(/(`+)[\s\S]*?\1/g, '');
}

/** The targets of the links and images of `text`: inline, reference definitions and HTML. */
export function links(text: string): string[] {
  const body = prose(text);
  const targets: string[] = [];
  for (const m of body.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    targets.push(m[1]);
  }
  for (const m of body.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
    targets.push(m[1]);
  }
  for (const m of body.matchAll(/\b(?:href|src)="([^"]+)"/g)) targets.push(m[1]);
  return targets;
}

/** The anchors GitHub (and npm) give the headings of `text`: `## Quick start` -> `quick-start`. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of withoutFences(text).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const slug = heading[1]
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links: their text
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

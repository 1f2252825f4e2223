import type { AsyncApiDocument } from './asyncapi.types';

/** The document as JSON text (two-space indentation, a final newline). */
export function asyncApiToJson(document: AsyncApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * The document as YAML text. Busline writes it itself (the document is plain JSON data), so no
 * YAML library is needed at run time: strings are quoted unless plainly safe, the structure is
 * block style, empty objects and arrays are `{}` and `[]`.
 */
export function asyncApiToYaml(document: AsyncApiDocument): string {
  return `${yamlLines(document, 0).join('\n')}\n`;
}

/** Plain scalars YAML reads back as the same string (not a number, boolean, null or date). */
const PLAIN = /^[A-Za-z_$][A-Za-z0-9_$ .\-/#+{}()]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '.nan';
  if (typeof value === 'boolean') return String(value);
  const text = String(value);
  const safe =
    PLAIN.test(text) &&
    !RESERVED.test(text) &&
    !/[ ]$/.test(text) &&
    !/ #|: |\{|\}/.test(text) &&
    !text.startsWith('{');
  return safe ? text : JSON.stringify(text);
}

function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$.-]*$/.test(name) && !RESERVED.test(name)
    ? name
    : JSON.stringify(name);
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function yamlLines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item: unknown) => {
      if (typeof item !== 'object' || item === null || isEmpty(item)) {
        return [`${pad}- ${inline(item)}`];
      }
      const inner = yamlLines(item, indent + 2);
      return [`${pad}- ${inner[0].trimStart()}`, ...inner.slice(1)];
    });
  }
  return Object.entries(value as Record<string, unknown>).map(([name, item]) =>
    typeof item !== 'object' || item === null || isEmpty(item)
      ? `${pad}${key(name)}: ${inline(item)}`
      : `${pad}${key(name)}:\n${yamlLines(item, indent + 2).join('\n')}`,
  );
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return scalar(value);
}

import { InvalidArgumentError, InvalidTopicError, StringMessage } from 'busline';
import { type AsyncApiDocument, asyncApiToJson, asyncApiToYaml, Publishes } from 'busline/nest';
import { parse as parseYaml } from 'yaml';

describe('asyncApiToYaml', () => {
  it('writes strings YAML would read as something else quoted, so the document reads back the same', () => {
    const tricky = [
      'true',
      'No',
      'null',
      '~',
      '',
      ' padded ',
      '1.0',
      '0x1F',
      '.nan',
      '2025-01-01',
      'a: b',
      'a #b',
      '#/components/schemas/X',
      '- item',
      '[flow]',
      '{flow}',
      '*alias',
      '&anchor',
      '!tag',
      '@at',
      '%percent',
      "it's",
      'say "hi"',
      'line\nbreak',
      'tab\there',
      'ünïcödé',
      'orders/{id}/created',
      'application/vnd.apache.avro;version=1.9.0',
    ];
    const document = {
      asyncapi: '3.0.0',
      info: { title: 'x', version: '1' },
      channels: Object.fromEntries(tricky.map((text, i) => [`c${i}`, { address: text }])),
      operations: {
        'weird key: #1': { empty: {}, none: [], list: [[1, 2], [], [{}]], n: -1.5, b: false },
      },
      components: { schemas: { true: { enum: tricky, default: null } } },
    } as unknown as AsyncApiDocument;
    expect(parseYaml(asyncApiToYaml(document))).toEqual(document);
    expect(JSON.parse(asyncApiToJson(document))).toEqual(document);
  });
});

describe('@Publishes', () => {
  it('rejects an invalid topic, a message that is not a class, and a target that is not a method', () => {
    expect(() => Publishes('orders/#/x', StringMessage)).toThrow(InvalidTopicError);
    expect(() => Publishes('orders/+1d', StringMessage)).toThrow(InvalidTopicError);
    expect(() => Publishes('orders', 'StringMessage' as unknown as typeof StringMessage)).toThrow(
      InvalidArgumentError,
    );
    expect(() => {
      class Holder {
        @(Publishes('orders', StringMessage) as PropertyDecorator)
        value = 1;
      }
      return Holder;
    }).toThrow(/decorates classes and methods/);
  });
});

import { describe, expect, it } from 'vitest';
import { defineAgent } from '../definition/define-agent';
import { jsonSchemaTool } from './json-schema-tool';

const orderParameters = {
  type: 'object',
  properties: {
    orderNumber: { type: 'string', pattern: '^A-\\d+$', description: 'the order, like A-17' },
    size: { enum: ['S', 'M', 'L'] },
  },
  required: ['orderNumber'],
  additionalProperties: false,
};

describe('jsonSchemaTool', () => {
  const lookup = jsonSchemaTool({
    name: 'lookup_order',
    description: 'Finds an order by its number',
    parameters: orderParameters,
    handler: (args) => ({ ...args, status: 'shipped' }),
  });

  it('validates calls against the JSON Schema and shows the model the schema as written', () => {
    expect(lookup.parameters.safeParse({ orderNumber: 'A-17', size: 'M' }).success).toBe(true);
    expect(lookup.parameters.safeParse({ orderNumber: 'B-17' }).success).toBe(false);
    expect(lookup.parameters.safeParse({ orderNumber: 'A-17', size: 'XL' }).success).toBe(false);
    expect(lookup.parameters.safeParse({ orderNumber: 'A-17', extra: 1 }).success).toBe(false);
    expect(lookup.parameters.safeParse({}).success).toBe(false);
    expect(lookup.jsonSchema).toEqual(orderParameters);
    expect(lookup.timeoutMs).toBe(10_000);
  });

  it('is a tool like any other in a definition', () => {
    const definition = defineAgent({ name: 'Shop', tools: [lookup] });
    expect(definition.tools[0]?.name).toBe('lookup_order');
  });

  it('refuses a schema that is not an object schema it can read, naming the tool', () => {
    const make = (parameters: Record<string, unknown>) => () =>
      jsonSchemaTool({ name: 'broken', description: 'x', parameters, handler: () => 1 });
    expect(make({ type: 'string' })).toThrow(
      /Tool "broken": parameters must be a JSON Schema object/,
    );
    expect(make({ type: 'object', properties: { a: { $ref: '#/definitions/missing' } } })).toThrow(
      /Tool "broken": its parameters are not a JSON Schema that can be read/,
    );
  });
});

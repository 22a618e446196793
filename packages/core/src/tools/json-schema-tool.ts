import { z } from 'zod';
import type { Tool } from '../domain/tool';
import { ParleyError } from '../errors/parley-error';
import { type ToolContext, type ToolDefinition, type ToolOptions, tool } from './tool';

/** What {@link jsonSchemaTool} takes: a tool whose parameters are a JSON Schema, not zod. */
export interface JsonSchemaToolOptions<TResult>
  extends Omit<ToolOptions<z.ZodObject, TResult>, 'parameters' | 'handler'> {
  /**
   * The parameters as a JSON Schema object (`{ type: 'object', properties, required }`), as a
   * host's user-made tool or an MCP server describes them. The model sees it as given; every
   * call is validated against it (through zod's own `z.fromJSONSchema`).
   */
  parameters: Record<string, unknown>;
  handler: (args: Record<string, unknown>, context: ToolContext) => Promise<TResult> | TResult;
}

/**
 * Declares a tool whose parameters are a JSON Schema: `jsonSchemaTool({ name, description,
 * parameters: { type: 'object', properties: { orderNumber: { type: 'string' } } }, handler })`.
 * Registered and attached like any `tool()`. Throws `validation_failed` for a schema that is
 * not an object schema zod can read (an unresolved `$ref`, say), naming the tool.
 */
export function jsonSchemaTool<TResult>(
  options: JsonSchemaToolOptions<TResult>,
): ToolDefinition<z.ZodObject, TResult> {
  const schema = options.parameters;
  if (typeof schema !== 'object' || schema === null || schema.type !== 'object') {
    throw new ParleyError(
      'validation_failed',
      `Tool "${String(options.name)}": parameters must be a JSON Schema object with type "object"`,
    );
  }
  let parameters: z.ZodType;
  try {
    parameters = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    throw new ParleyError(
      'validation_failed',
      `Tool "${String(options.name)}": its parameters are not a JSON Schema that can be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!(parameters instanceof z.ZodObject)) {
    throw new ParleyError(
      'validation_failed',
      `Tool "${String(options.name)}": parameters must describe an object`,
    );
  }
  const declared = tool({ ...options, parameters, handler: options.handler });
  // The model and the store see the schema as the host wrote it, as plain JSON.
  return Object.freeze({
    ...declared,
    jsonSchema: JSON.parse(JSON.stringify(schema)) as Tool['parameters'],
  });
}

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

/** JSON Schema dialects older than 2020-12, which the draft-07 validator reads. */
const olderDialect = /draft-0[4-7]/;

/**
 * Makes the zod schema that validates a tool's arguments against the JSON Schema an MCP server
 * published for it. Each problem becomes one issue at its path, worded with the fix (the
 * missing property, the allowed values or properties), so the model can correct its call.
 *
 * A schema the validator cannot compile (an unknown keyword used strictly, a broken `$ref`)
 * accepts any object: the server still validates the call.
 *
 * @param schema - the tool's `inputSchema`.
 * @returns a zod schema of the argument object.
 * @example
 * ```ts
 * const input = jsonSchemaInput({ type: 'object', properties: { path: { type: 'string' } }, required: ['path'] });
 * input.safeParse({}).success; // false: "path: required property is missing"
 * ```
 */
export function jsonSchemaInput(
  schema: Readonly<Record<string, unknown>>,
): z.ZodType<Record<string, unknown>> {
  // Compiled on first use: a server may list many tools the run never calls.
  let validate: ValidateFunction | null | undefined;
  return z.record(z.string(), z.unknown()).superRefine((value, context) => {
    validate ??= compile(schema) ?? null;
    if (validate === null || validate(value)) return;
    for (const error of validate.errors ?? []) {
      const { path, message } = describeError(error);
      context.addIssue({ code: 'custom', path, message });
    }
  });
}

const validatorOptions = {
  strict: false,
  allErrors: true,
  verbose: true,
  validateFormats: false,
  logger: false,
} as const;
/** One validator per dialect, shared: making one compiles its meta-schemas, which is slow. */
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;

function sharedDraft07(): Ajv {
  draft07 ??= new Ajv(validatorOptions);
  return draft07;
}

function sharedDraft2020(): Ajv2020 {
  draft2020 ??= new Ajv2020(validatorOptions);
  return draft2020;
}

function compile(schema: Readonly<Record<string, unknown>>): ValidateFunction | undefined {
  // Without `$schema` (read here) and `$id` (two servers may reuse one id in a shared validator).
  const { $schema, $id: _id, ...rest } = schema;
  const validator =
    typeof $schema === 'string' && olderDialect.test($schema) ? sharedDraft07() : sharedDraft2020();
  const objectSchema = { type: 'object', ...rest };
  try {
    return validator.compile(objectSchema);
  } catch {
    return undefined;
  } finally {
    // The compiled function stands alone: the shared validator need not keep the schema.
    validator.removeSchema(objectSchema);
  }
}

function describeError(error: ErrorObject): { path: (string | number)[]; message: string } {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: [...path, String(params.missingProperty)],
        message: 'required property is missing',
      };
    case 'additionalProperties': {
      const properties = (
        error.parentSchema as { properties?: Record<string, unknown> } | undefined
      )?.properties;
      const allowed = properties === undefined ? [] : Object.keys(properties);
      return {
        path: [...path, String(params.additionalProperty)],
        message: `is not a known property${allowed.length > 0 ? `; known properties: ${allowed.join(', ')}` : ''}`,
      };
    }
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}; received ${JSON.stringify(error.data)}`,
      };
    case 'type':
      return {
        path,
        message: `must be ${String(params.type)}; received ${describeType(error.data)}`,
      };
    default:
      return { path, message: error.message ?? `fails '${error.keyword}'` };
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 40) ?? ''}`.trim();
}

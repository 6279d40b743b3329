import { describe, expect, it } from 'vitest';
import { jsonSchemaInput } from './json-schema-input.js';

const issuesOf = (schema: Record<string, unknown>, value: unknown) => {
  const parsed = jsonSchemaInput(schema).safeParse(value);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
};

describe('jsonSchemaInput', () => {
  const schema = {
    type: 'object',
    properties: {
      path: { type: 'string' },
      mode: { enum: ['r', 'w'] },
      edits: {
        type: 'array',
        items: {
          type: 'object',
          properties: { oldText: { type: 'string' }, newText: { type: 'string' } },
          required: ['oldText', 'newText'],
          additionalProperties: false,
        },
      },
    },
    required: ['path'],
    additionalProperties: false,
  };

  it('accepts arguments that match', () => {
    expect(
      issuesOf(schema, { path: 'a', mode: 'r', edits: [{ oldText: 'x', newText: 'y' }] }),
    ).toEqual([]);
  });

  it('names each problem at its path, with the fix', () => {
    expect(
      issuesOf(schema, { mode: 'x', edits: [{ oldText: 1, extra: true }], colour: 'red' }),
    ).toEqual(
      expect.arrayContaining([
        'path: required property is missing',
        'colour: is not a known property; known properties: path, mode, edits',
        'mode: must be one of "r", "w"; received "x"',
        'edits.0.newText: required property is missing',
        'edits.0.extra: is not a known property; known properties: oldText, newText',
        'edits.0.oldText: must be string; received number 1',
      ]),
    );
  });

  it('refuses a non-object, as MCP tool arguments are objects', () => {
    expect(jsonSchemaInput(schema).safeParse(['a']).success).toBe(false);
    expect(jsonSchemaInput(schema).safeParse('a').success).toBe(false);
  });

  it('reads draft-07 and 2020-12 schemas by their $schema', () => {
    const draft7 = { $schema: 'http://json-schema.org/draft-07/schema#', ...schema };
    const draft2020 = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { tags: { type: 'array', prefixItems: [{ type: 'string' }] } },
    };
    expect(issuesOf(draft7, {})).toEqual(['path: required property is missing']);
    expect(issuesOf(draft2020, { tags: [1] })).toEqual([
      'tags.0: must be string; received number 1',
    ]);
  });

  it('leaves validation to the server when the schema cannot be compiled', () => {
    const broken = { type: 'object', properties: { a: { $ref: '#/definitions/missing' } } };
    expect(jsonSchemaInput(broken).safeParse({ a: 1 }).success).toBe(true);
  });
});

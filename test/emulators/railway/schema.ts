import { readFileSync } from 'node:fs';
import { buildClientSchema, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import type { GraphQLSchema, IntrospectionQuery, ValueNode } from 'graphql';

// The vendored file is the raw HTTP answer of an introspection query, hence the `data` wrapper.
const SCHEMA_URL = new URL('../../../vendor/railway/schema.json', import.meta.url);

let cached: GraphQLSchema | undefined;

/** Railway's real public schema, with the custom scalars that matter given real parsing. */
export function loadRailwaySchema(): GraphQLSchema {
  if (cached) return cached;
  const json = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { data: IntrospectionQuery };
  const schema = buildClientSchema(json.data);
  // buildClientSchema makes every custom scalar a pass-through; a client sending
  // `variables: { PORT: 8080 }` must fail here the way it fails on Railway, not succeed silently.
  patchScalar(schema, 'EnvironmentVariables', parseEnvironmentVariables);
  patchScalar(schema, 'DateTime', parseDateTime, serializeDateTime);
  cached = schema;
  return schema;
}

function patchScalar(
  schema: GraphQLSchema,
  name: string,
  parse: (value: unknown) => unknown,
  serialize?: (value: unknown) => unknown,
): void {
  const type = schema.getType(name);
  if (!(type instanceof GraphQLScalarType)) throw new Error(`schema has no scalar ${name}`);
  // The schema object is shared and immutable by type only; replacing the functions in place is
  // the cheapest way to keep every reference (input fields, arguments) pointing at the real type.
  Object.assign(type, {
    parseValue: parse,
    parseLiteral: (node: ValueNode, variables?: { [key: string]: unknown } | null) =>
      parse(literalValue(node, variables)),
    ...(serialize ? { serialize } : {}),
  });
}

function literalValue(node: ValueNode, variables?: { [key: string]: unknown } | null): unknown {
  if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
  return valueFromASTUntyped(node, variables);
}

export function parseEnvironmentVariables(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('EnvironmentVariables must be an object of string keys to string values');
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new TypeError(`EnvironmentVariables value for "${key}" must be a string, got ${typeof v}`);
    }
    out[key] = v;
  }
  return out;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
    throw new TypeError(`DateTime must be an ISO-8601 date-time string, got ${JSON.stringify(value)}`);
  }
  return new Date(value);
}

function serializeDateTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') return value;
  throw new TypeError(`DateTime cannot represent ${typeof value}`);
}

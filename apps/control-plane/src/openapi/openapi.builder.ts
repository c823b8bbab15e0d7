import { z } from 'zod';
import { HTTP_STATUS } from '@switchyard/flags';
import { SESSION_COOKIE } from '../auth/sessions.service.js';
import type { RouteEntry } from './route-table.js';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  delete out['$schema'];
  return out;
}

const errorSchema: Json = {
  type: 'object',
  required: ['code', 'message', 'details'],
  properties: {
    code: { type: 'string', enum: Object.keys(HTTP_STATUS) },
    message: { type: 'string' },
    details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const errorRef = {
  description: 'error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

function parameters(route: RouteEntry): Json[] {
  const out: Json[] = [];
  for (const where of ['path', 'query'] as const) {
    const schema = where === 'path' ? route.spec?.params : route.spec?.query;
    if (!schema) continue;
    const json = schemaOf(schema, 'input');
    const required = new Set((json['required'] as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(
      (json['properties'] as Record<string, Json> | undefined) ?? {},
    )) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: prop });
    }
  }
  if (route.idempotent) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 255 },
      description: 'retries with the same key return the original response',
    });
  }
  return out;
}

function operation(route: RouteEntry): Json {
  const spec = route.spec;
  const status = String(spec?.status ?? 200);
  const responses: Json = {
    [status]: spec?.response
      ? {
          description: 'success',
          content: {
            [spec.contentType ?? 'application/json']: {
              schema: schemaOf(spec.response, 'output'),
            },
          },
        }
      : { description: 'success' },
  };
  if (spec?.params || spec?.query || spec?.body) responses['400'] = errorRef;
  if (route.permission !== 'public') {
    responses['401'] = errorRef;
    responses['403'] = errorRef;
  }
  if (route.path.includes(':')) responses['404'] = errorRef;
  if (route.idempotent) responses['422'] = errorRef;
  return {
    operationId: route.handler.replace('.', '_'),
    summary: spec?.summary ?? route.handler,
    tags: [spec?.tag ?? 'misc'],
    'x-permission': route.permission,
    security: route.permission === 'public' ? [] : [{ session: [] }, { bearer: [] }],
    parameters: parameters(route),
    ...(spec?.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(spec.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document from the route table; deterministic so drift is a diff. */
export function buildOpenApi(routes: readonly RouteEntry[]): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Switchyard control plane', version: '1.0.0' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'mutations also need X-CSRF-Token',
        },
        bearer: { type: 'http', scheme: 'bearer', description: 'personal access token sy_pat_…' },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}

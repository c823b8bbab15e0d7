import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.factory.js';
import { loadConfig } from '../src/config/config.js';
import { buildOpenApi } from '../src/openapi/openapi.builder.js';
import { RouteTableService, type RouteEntry } from '../src/openapi/route-table.js';
import { OPENAPI_PATH, renderOpenApi } from '../src/openapi-cli.js';

// Regenerate both files with: UPDATE_SNAPSHOTS=1 npx vitest run --project control-plane test/codegen.test.ts
const UPDATE = process.env['UPDATE_SNAPSHOTS'] === '1';
const PERMISSIONS_PATH = fileURLToPath(new URL('./route-permissions.json', import.meta.url));

let app: NestFastifyApplication;
let routes: RouteEntry[];
beforeAll(async () => {
  // No database is touched: building the route table only reads Nest metadata.
  app = await createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), {
    logger: pino({ level: 'silent' }),
  });
  routes = app.get(RouteTableService).routes();
});
afterAll(async () => {
  await app.close();
});

async function compare(path: string, actual: string): Promise<void> {
  if (UPDATE) await writeFile(path, actual);
  expect(actual, `${path} is stale: regenerate it (see the top of this file)`).toBe(
    await readFile(path, 'utf8'),
  );
}

describe('route table', () => {
  it('every route declares a permission (the guard refuses the others)', () => {
    const missing = routes
      .filter((r) => r.permission === null)
      .map((r) => `${r.method} ${r.path} (${r.handler})`);
    expect(missing).toEqual([]);
  });

  it('every route declares its API contract', () => {
    expect(routes.filter((r) => r.spec === null).map((r) => r.handler)).toEqual([]);
  });

  it('matches the committed route → guard → permission snapshot', async () => {
    const snapshot = Object.fromEntries(
      routes.map((r) => [
        `${r.method} ${r.path}`,
        { guard: 'AuthGuard', permission: r.permission, idempotent: r.idempotent },
      ]),
    );
    await compare(PERMISSIONS_PATH, `${JSON.stringify(snapshot, null, 2)}\n`);
  });

  it('every creating POST honours Idempotency-Key', () => {
    const creating = routes.filter((r) => r.method === 'POST' && r.spec?.status === 201);
    expect(creating.length).toBeGreaterThan(0);
    expect(creating.filter((r) => !r.idempotent).map((r) => r.path)).toEqual([]);
  });
});

describe('OpenAPI document', () => {
  it('is committed and matches the code', async () => {
    await compare(OPENAPI_PATH, renderOpenApi(buildOpenApi(routes)));
  });

  it('documents every route', () => {
    const doc = buildOpenApi(routes) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(documented.sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`).sort(),
    );
  });
});

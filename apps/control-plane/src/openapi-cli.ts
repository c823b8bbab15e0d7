import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from './app.factory.js';
import { loadConfig } from './config/config.js';
import { buildOpenApi } from './openapi/openapi.builder.js';
import { RouteTableService } from './openapi/route-table.js';

/** The committed document's location. */
export const OPENAPI_PATH = fileURLToPath(new URL('../openapi.json', import.meta.url));

/** Serialises the document exactly as committed (2-space JSON, trailing newline). */
export function renderOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// `npm run openapi`: regenerate openapi.json from the code. The database is never contacted
// (the Prisma pool connects lazily), so this runs anywhere.
async function main(): Promise<void> {
  const app = await createApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), {
    logger: pino({ level: 'silent' }),
  });
  try {
    await writeFile(OPENAPI_PATH, renderOpenApi(buildOpenApi(app.get(RouteTableService).routes())));
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  });
}

import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { migrate, MIGRATIONS_DIR, createPrismaClient } from '@switchyard/db';
import { createApp } from './app.factory.js';
import { PatsService } from './auth/pats.service.js';
import { createLogger } from './common/logger.js';
import type { RequestContext } from './common/request-context.js';
import { loadConfig } from './config/config.js';
import { createOrgBody } from './orgs/orgs.dto.js';
import { OrgsService } from './orgs/orgs.service.js';

const USAGE =
  'usage: bootstrap --email <address> [--name <name>] [--org <slug>] [--org-name <name>]';

/**
 * Operator command: creates (or reuses) a user, optionally an organisation it owns, and prints a
 * new personal access token as the LAST line of stdout. Logs go to stderr.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      'org-name': { type: 'string' },
    },
  });
  const email = values.email?.trim().toLowerCase();
  if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw new Error(USAGE);
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const logger = createLogger(config, 2);
  await migrate({
    databaseUrl: config.databaseUrl,
    migrationsDir: MIGRATIONS_DIR,
    createDatabase: true,
  });
  const db = createPrismaClient({ databaseUrl: config.databaseUrl, maxConnections: 2 });
  const app = await createApp(config, { db, logger });
  try {
    const user = await db.user.upsert({
      where: { email },
      create: { email, name: values.name ?? null },
      update: {},
    });
    const ctx: RequestContext = {
      principal: { userId: user.id, email, via: 'system' },
      requestId: 'bootstrap',
    };
    const out: string[] = [`user ${user.email} (${user.id})`];
    if (values.org) {
      const existing = await db.organisation.findUnique({ where: { slug: values.org } });
      if (existing) out.push(`organisation ${existing.slug} already exists`);
      else
        out.push(
          `organisation ${(await app.get(OrgsService).create(ctx, createOrgBody.parse({ slug: values.org, name: values['org-name'] ?? values.org }))).slug} created`,
        );
    }
    const pat = await app.get(PatsService).issue(ctx, user.id, { name: 'bootstrap' });
    out.push(pat.token);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

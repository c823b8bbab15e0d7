#!/usr/bin/env node
/**
 * `switchyard` command: `serve` runs a data-plane instance, `validate <dir>` checks a flag
 * directory, `--help` prints usage. Output goes through the logger or process.stdout/stderr.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from './config/config-error.js';
import { isInstanceMode, loadInstanceModeConfig } from './config/instance-mode-config.js';
import { createLogger } from './logger.js';
import { startDataPlane } from './server.js';
import { startSync } from './sync/index.js';

const USAGE = `Usage:
  switchyard serve [DIR] [options]       serve flags (Flipt-compatible REST :8080, gRPC :9000)
  switchyard validate DIR                check a flag directory; exit 1 on errors
  switchyard --help
  switchyard --version

Sources (choose one, or --config):
  --dir DIR | DIR                        a local directory, reloaded on change
  --git URL [--branch main] [--directory sub/dir] [--poll 10s]
  --upstream URL [--upstream-token T] [--environment E] [--poll 30s]   mirror another instance
  --config FILE                          YAML/JSON instance config (several environments, tokens)
  --instance-id ID --control-plane grpc://HOST:PORT [--instance-token T]
                                         instance mode: environments and tokens come from the
                                         control plane (token also via SWITCHYARD_INSTANCE_TOKEN)
  --usage-interval 5s                    instance mode: how often evaluation counts are sent

Options:
  --environment KEY      environment key for a single source (default "default")
  --host H               bind address (default 0.0.0.0, for containers; use 127.0.0.1 locally)
  --http-port N          (default 8080)     --grpc-port N   (default 9000); 0 picks a free port
  --data-dir DIR         last good snapshots (default .switchyard)
  --token T              static client token (repeatable); auth is required by default
  --no-auth              serve without authentication (explicit opt-out)
  --trust-edge-header    honour X-Switchyard-Edge-Environment (only behind the Switchyard edge)
  --allow-origin ORIGIN  a git server on a loopback/private address this instance may fetch from,
                         as an exact origin (http://127.0.0.1:3000); repeatable. Every other git
                         host must resolve to public addresses only
  --log-level L          fatal|error|warn|info|debug|trace|silent (default info)
Environment: SWITCHYARD_CONFIG, SWITCHYARD_HOST, SWITCHYARD_HTTP_PORT, SWITCHYARD_GRPC_PORT,
  SWITCHYARD_DATA_DIR, SWITCHYARD_LOG_LEVEL, SWITCHYARD_TOKEN, SWITCHYARD_NO_AUTH=1,
  SWITCHYARD_ALLOWED_ORIGINS (comma-separated exact origins),
  SWITCHYARD_USAGE_INTERVAL
`;

/** Stops on SIGTERM/SIGINT through `close`, then exits. */
function onSignals(logger: ReturnType<typeof createLogger>, close: () => Promise<void>): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

async function serveInstance(argv: string[]): Promise<void> {
  const config = loadInstanceModeConfig(argv);
  const logger = createLogger(config.logLevel).child({ instance: config.instanceId });
  // Loaded only in instance mode: it brings the gRPC client and the control plane's contract.
  const { startInstance } = await import('./instance/instance-agent.js');
  const instance = await startInstance(config, logger);
  onSignals(logger, () => instance.close());
}

async function serve(argv: string[]): Promise<void> {
  if (isInstanceMode(argv)) return serveInstance(argv);
  // Loaded here: an instance (above) validates no configuration file (zod schemas, yaml).
  const { loadServeConfig } = await import('./config/cli-config.js');
  const config = loadServeConfig(argv);
  const logger = createLogger(config.logLevel);
  const dp = await startDataPlane(config, logger, startSync);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    dp.close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await dp.firstSync.then(
    () => logger.info({ ready: dp.registry.ready() }, 'first sync done'),
    (e: unknown) => {
      // A source that cannot even be configured (bad URL, unsafe path) is fatal at boot.
      logger.fatal({ err: e }, 'sync failed to start');
      void dp.close().finally(() => process.exit(2));
    },
  );
}

function collectFiles(
  root: string,
  dir = root,
  out = new Map<string, Uint8Array>(),
): Map<string, Uint8Array> {
  for (const name of readdirSync(dir)) {
    if (name === '.git' || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collectFiles(root, path, out);
    else out.set(relative(root, path).split('\\').join('/'), readFileSync(path));
  }
  return out;
}

async function validate(argv: string[]): Promise<number> {
  const dir = argv[0];
  if (!dir) {
    process.stderr.write('usage: switchyard validate DIR\n');
    return 2;
  }
  // Imported here: `serve` loads the flag-file loader only when it has environments to build.
  const { formatDiagnostic, loadEnvironment } = await import('./sync/environment-syncer.js');
  const result = loadEnvironment(collectFiles(dir));
  const errors = result.ok ? [] : result.errors;
  for (const d of [...errors, ...result.warnings]) process.stdout.write(`${formatDiagnostic(d)}\n`);
  process.stdout.write(
    result.ok ? `ok (${result.warnings.length} warning(s))\n` : `${errors.length} error(s)\n`,
  );
  return result.ok ? 0 : 1;
}

/** The package's version (package.json sits next to `dist/` in the repository and in the package). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (
    cmd === undefined ||
    cmd === '--help' ||
    cmd === '-h' ||
    cmd === 'help' ||
    rest.includes('--help')
  ) {
    process.stdout.write(USAGE);
    return;
  }
  if (cmd === '--version' || cmd === '-v' || cmd === 'version') {
    process.stdout.write(`switchyard ${version()}\n`);
    return;
  }
  if (cmd === 'serve') return serve(rest);
  if (cmd === 'validate') {
    process.exitCode = await validate(rest);
    return;
  }
  process.stderr.write(`unknown command "${cmd}"\n\n${USAGE}`);
  process.exitCode = 2;
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(
    e instanceof ConfigError ? `${e.message}\n` : `${(e as Error).stack ?? String(e)}\n`,
  );
  process.exit(e instanceof ConfigError ? 2 : 1);
});

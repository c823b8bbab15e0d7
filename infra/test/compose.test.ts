/**
 * docker-compose.yml, checked without a Docker engine: against the Compose specification's JSON
 * schema (the copy dclint vendors, pinned in package.json) after the same interpolation Compose
 * does with the values of .env.example, plus the rules of the deployment: a health check on every
 * service, every dependency waits for health, every interpolated variable documented, no secret
 * written into the file, state on named volumes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dockerfileStages } from './dockerfile.js';

const root = join(import.meta.dirname, '..', '..');
/** The schema file dclint ships (its package exports do not expose it; a root devDependency). */
const SCHEMA = join(root, 'node_modules', 'dclint', 'schemas', 'compose.schema.json');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const envExample = parseEnvFile(readFileSync(join(root, '.env.example'), 'utf8'));

type Dict = Record<string, unknown>;
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target?: string };
  environment?: Record<string, string>;
  healthcheck?: {
    test?: string | string[];
    disable?: boolean;
    interval?: string;
    timeout?: string;
    start_period?: string;
  };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  profiles?: string[];
  network_mode?: string;
  ports?: string[];
  command?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

function parseEnvFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!m) throw new Error(`.env.example: not NAME=value: ${line}`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+r}, ${VAR+r}. */
function interpolate(text: string, env: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare)!;
      const value = env.get(name);
      const unsetOrEmpty = value === undefined || value === '';
      const missing = op?.startsWith(':') ? unsetOrEmpty : value === undefined;
      const word = interpolate(arg ?? '', env);
      switch (op?.replace(':', '')) {
        case '-':
          return missing ? word : value!;
        case '?':
          if (missing) throw new Error(`required variable ${name} is missing: ${word}`);
          return value!;
        case '+':
          return missing ? '' : word;
        default:
          return value ?? '';
      }
    },
  );
}

/** Every variable name the file interpolates (comments excluded). */
function interpolatedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('#')) continue;
    const unescaped = line.replaceAll('$$', '');
    for (const m of unescaped.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)/g))
      names.add((m[1] ?? m[2])!);
  }
  return names;
}

/** The values a user sets after `cp .env.example .env`: the empty secrets filled in. */
function filledEnv(): Map<string, string> {
  const env = new Map(envExample);
  env.set('SWITCHYARD_SECRET', 'a'.repeat(64));
  env.set('EDGE_TOKEN', 'b'.repeat(48));
  env.set('POSTGRES_PASSWORD', 'c'.repeat(32));
  return env;
}

function load(env: ReadonlyMap<string, string>): Compose {
  return parse(interpolate(composeText, env), { merge: true }) as Compose;
}

function composeSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as Dict;
  // Draft-07, Ajv's default dialect; Ajv knows its meta-schema by the http:// id only.
  if (schema['$schema'] !== 'https://json-schema.org/draft-07/schema')
    throw new Error(`unexpected dialect ${String(schema['$schema'])}`);
  delete schema['$schema'];
  if (schema['title'] !== 'Compose Specification') throw new Error(`${SCHEMA}: not the spec`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

describe('docker-compose.yml', () => {
  const validate = composeSchema();
  const compose = load(filledEnv());
  const services = Object.entries(compose.services);

  it('is valid against the Compose specification schema once interpolated', () => {
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is not vacuous: a misspelt key, a bad condition and a bad type are rejected', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Dict> };
    broken.services['edge']!['helthcheck'] = { test: ['CMD', 'true'] };
    expect(validate(broken)).toBe(false);
    const badCondition = structuredClone(compose);
    badCondition.services['console']!.depends_on = { 'control-plane': { condition: 'healthy' } };
    expect(validate(badCondition)).toBe(false);
    const badTest = structuredClone(compose) as unknown as { services: Record<string, Dict> };
    badTest.services['redis']!['healthcheck'] = { test: 5 };
    expect(validate(badTest)).toBe(false);
  });

  it('dclint (pinned) finds no errors in the interpolated file (its style warnings aside)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-compose-'));
    try {
      const file = join(dir, 'docker-compose.yml');
      writeFileSync(file, stringify(compose));
      const bin = join(root, 'node_modules', 'dclint', 'bin', 'dclint.cjs');
      const report = JSON.parse(
        execFileSync(process.execPath, [bin, file, '-f', 'json', '--color', 'false'], {
          encoding: 'utf8',
        }),
      ) as { messages: { type: string; rule: string; message: string }[] }[];
      expect(report).toHaveLength(1);
      expect(report[0]!.messages.filter((m) => m.type === 'error')).toEqual([]);
      // Published ports are bound to an interface (no-unbound-port-interfaces is such an error).
      for (const [name, service] of Object.entries(compose.services))
        for (const port of service.ports ?? [])
          expect(port.split(':'), `${name}: ${port}`).toHaveLength(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the whole cloud, with the dev IdP only under the dev profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['console', 'control-plane', 'dev-idp', 'edge', 'postgres', 'redis', 'worker'].sort(),
    );
    for (const [name, service] of services) {
      if (name === 'dev-idp') expect(service.profiles).toEqual(['dev']);
      else expect(service.profiles, name).toBeUndefined();
    }
  });

  it('every service has a health check that is not disabled', () => {
    for (const [name, service] of services) {
      const hc = service.healthcheck;
      expect(hc?.test, `${name} has no healthcheck`).toBeDefined();
      expect(hc?.disable ?? false, name).toBe(false);
      const test = Array.isArray(hc!.test) ? hc!.test : ['CMD-SHELL', hc!.test];
      expect(['CMD', 'CMD-SHELL'], `${name}: ${test.join(' ')}`).toContain(test[0]);
      // Go durations, as Compose parses them (the schema leaves them plain strings).
      for (const key of ['interval', 'timeout', 'start_period'] as const)
        if (hc![key] !== undefined)
          expect(hc![key], `${name}.healthcheck.${key}`).toMatch(
            /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
          );
    }
  });

  it('every depends_on waits for a healthy service that exists and is not in a profile', () => {
    let edges = 0;
    for (const [name, service] of services) {
      for (const [dep, spec] of Object.entries(service.depends_on ?? {})) {
        edges++;
        expect(spec.condition, `${name} -> ${dep}`).toBe('service_healthy');
        expect(compose.services[dep], `${name} -> ${dep}`).toBeDefined();
        expect(compose.services[dep]!.profiles, `${name} -> ${dep}`).toBeUndefined();
      }
    }
    expect(edges).toBe(8);
    // Array form (no condition) would pass the schema: every depends_on must be the map form.
    for (const [name, service] of services)
      if (service.depends_on) expect(Array.isArray(service.depends_on), name).toBe(false);
  });

  it('every interpolated variable is in .env.example, and .env.example lists nothing else', () => {
    const used = interpolatedNames(composeText);
    expect(used.size).toBeGreaterThan(10);
    const documented = new Set(envExample.keys());
    expect([...used].filter((n) => !documented.has(n)).sort()).toEqual([]);
    expect([...documented].filter((n) => !used.has(n)).sort()).toEqual([]);
    // Each entry is explained by a comment somewhere above it.
    expect(readFileSync(join(root, '.env.example'), 'utf8')).toMatch(/^# /);
  });

  it('secrets are never written into the file: .env.example leaves them empty and Compose refuses to start', () => {
    for (const name of ['SWITCHYARD_SECRET', 'EDGE_TOKEN', 'POSTGRES_PASSWORD'])
      expect(envExample.get(name), name).toBe('');
    expect(() => load(envExample)).toThrow(
      /required variable (SWITCHYARD_SECRET|EDGE_TOKEN|POSTGRES_PASSWORD)/,
    );
    const raw = parse(composeText, { merge: true }) as Compose;
    for (const [name, service] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!/SECRET|PASSWORD|TOKEN/.test(key)) continue;
        expect(String(value), `${name}.${key} must come from .env`).toMatch(/^\$\{[A-Z_]+[^}]*\}$/);
      }
    }
    // The one secret with a non-empty default is the dev IdP's client secret, development only.
    const defaults = [
      ...composeText.matchAll(/\$\{([A-Z_]*(?:SECRET|PASSWORD|TOKEN)[A-Z_]*):?-(?!\})/g),
    ];
    expect(defaults.map((m) => m[1])).toEqual(['DEV_IDP_CLIENT_SECRET']);
  });

  it('state lives on named volumes: Postgres, Redis, and the data directory the control plane and worker share', () => {
    const named = (service: string, target: string) =>
      (compose.services[service]!.volumes ?? [])
        .find((v) => v.endsWith(`:${target}`))
        ?.split(':')[0];
    expect(named('postgres', '/var/lib/postgresql/data')).toBe('postgres');
    expect(named('redis', '/data')).toBe('redis');
    expect(named('control-plane', '/data')).toBe('data');
    expect(named('worker', '/data')).toBe('data');
    for (const service of ['control-plane', 'worker'])
      expect(compose.services[service]!.environment!['SWITCHYARD_DATA_DIR']).toBe('/data');
    for (const [, service] of services)
      for (const v of service.volumes ?? []) {
        const source = v.split(':')[0]!;
        expect(source.startsWith('.') || source.startsWith('/'), v).toBe(false);
        expect(Object.keys(compose.volumes)).toContain(source);
      }
  });

  it("the dev IdP shares the control plane's loopback, so the browser and the control plane see one issuer", () => {
    const idp = compose.services['dev-idp']!;
    expect(idp.network_mode).toBe('service:control-plane');
    const command = idp.command as string[];
    const issuer = command[command.indexOf('--public-origin') + 1];
    expect(issuer).toBe('http://localhost:4000');
    expect(command[command.indexOf('--port') + 1]).toBe('4000');
    // Published by the control plane on the same port the issuer names.
    expect(compose.services['control-plane']!.ports).toContain('127.0.0.1:4000:4000');
    expect(envExample.get('DEV_IDP_PORT')).toBe('4000');
    expect(readFileSync(join(root, '.env.example'), 'utf8')).toContain(
      `PLATFORM_OIDC_ISSUER=${issuer}`,
    );
  });

  it('the edge reaches the instances the worker runs on its loopback, and the console reaches the API', () => {
    expect(compose.services['edge']!.network_mode).toBe('service:worker');
    expect(compose.services['edge']!.depends_on).toHaveProperty('worker');
    expect(compose.services['console']!.environment!['CONTROL_PLANE_URL']).toBe(
      'http://control-plane:3000',
    );
    const cp = compose.services['control-plane']!.environment!;
    expect(compose.services['edge']!.environment!['CONTROL_PLANE_GRPC_URL']).toBe(
      cp['CONTROL_PLANE_GRPC_URL'],
    );
    expect(cp['DATABASE_URL']).toBe(
      `postgresql://switchyard:${'c'.repeat(32)}@postgres:5432/switchyard`,
    );
  });

  it('every built service names a target of its Dockerfile, and its health check uses the helper the image ships', () => {
    const built = services.filter(([, s]) => s.build);
    expect(built.map(([n]) => n).sort()).toEqual(
      ['console', 'control-plane', 'dev-idp', 'edge', 'worker'].sort(),
    );
    for (const [name, service] of built) {
      const stages = dockerfileStages(join(root, service.build!.dockerfile));
      expect(
        stages.map((s) => s.name),
        name,
      ).toContain(service.build!.target);
      const test = service.healthcheck!.test as string[];
      if (test[1] === 'node') {
        const dockerfile = readFileSync(join(root, service.build!.dockerfile), 'utf8');
        expect(dockerfile).toContain(` ${test[2]}`);
      }
    }
  });
});

import { Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { RoutePermission } from '../common/permissions.js';
import {
  API_KEY,
  IDEMPOTENT_KEY,
  PERMISSION_KEY,
  type ApiSpec,
} from '../common/route.decorators.js';

/** One HTTP route as declared in code: the source of the permission snapshot, the auth matrix and OpenAPI. */
export interface RouteEntry {
  method: string;
  /** Fastify-style path, e.g. `/api/v1/orgs/:org`. */
  path: string;
  permission: RoutePermission | null;
  idempotent: boolean;
  spec: ApiSpec | null;
  handler: string;
}

function join(...parts: (string | string[] | undefined)[]): string {
  const segments = parts
    .flatMap((p) => (Array.isArray(p) ? p : [p]))
    .filter((p): p is string => !!p && p !== '/');
  return `/${segments
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

/** Reads every controller route from Nest's metadata (so a new route cannot escape the checks). */
@Injectable()
export class RouteTableService {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): RouteEntry[] {
    const out: RouteEntry[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const base = Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined;
      const proto = type.prototype as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(proto)) {
        const fn = proto[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, fn) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
        if (path === undefined || method === undefined) continue;
        out.push({
          method: RequestMethod[method],
          path: join(base, path),
          permission:
            this.reflector.getAllAndOverride<RoutePermission | undefined>(PERMISSION_KEY, [
              fn as () => void,
              type,
            ]) ?? null,
          idempotent:
            this.reflector.get<boolean | undefined>(IDEMPOTENT_KEY, fn as () => void) ?? false,
          spec: this.reflector.get<ApiSpec | undefined>(API_KEY, fn as () => void) ?? null,
          handler: `${type.name}.${name}`,
        });
      }
    }
    // Code-unit order, not locale order, so the snapshot is identical on every machine.
    const key = (r: RouteEntry) => `${r.path} ${r.method}`;
    return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  }
}

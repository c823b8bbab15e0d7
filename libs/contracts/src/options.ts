/**
 * The one @grpc/proto-loader configuration. The runtime loader and the type generator both read
 * it, so the generated `__Output` types describe exactly the objects the loader produces.
 */
import type { Options } from '@grpc/proto-loader';

/**
 * camelCase field names, 64-bit integers as decimal strings, enums by name, defaults filled in
 * (unset message fields arrive as null), and a virtual field naming the set member of each oneof.
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
} as const satisfies Options;

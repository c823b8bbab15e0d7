/**
 * Protocol Buffers encoding of the few InstanceService messages an instance sends and receives
 * (libs/contracts/proto/switchyard/controlplane/v1/instance.proto), written out by hand so an
 * instance does not load protobufjs and parse the .proto at start. The decoded objects have the
 * shape @grpc/proto-loader gives with PROTO_LOADER_OPTIONS (the contracts' `__Output` types:
 * camelCase, defaults filled in, unset messages null, 64-bit integers as decimal strings, a
 * virtual field naming the set member of a oneof); proto-wire.test.ts checks both directions
 * against the contract's own serializers.
 */
import type {
  Environment__Output,
  GitCredentials__Output,
  GitSource__Output,
  InstanceConfiguration__Output,
  StatusReport,
  SyncError,
  Token__Output,
  UsageBatch,
  WatchEvent__Output,
} from '@switchyard/contracts';

type Int64 = number | string | bigint | { toString(): string } | null | undefined;

/** Appends fields to a growing byte list; `finish` returns the message. */
class Writer {
  #bytes: number[] = [];

  #varint(v: bigint): void {
    // Negative numbers are sent as their 64-bit two's complement (ten bytes), as protobuf does.
    let n = BigInt.asUintN(64, v);
    while (n > 0x7fn) {
      this.#bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.#bytes.push(Number(n));
  }

  #tag(field: number, wireType: number): void {
    this.#varint(BigInt((field << 3) | wireType));
  }

  /** A varint field (int32, int64, bool); proto3 omits zero. */
  int(field: number, v: Int64 | boolean): this {
    const n =
      typeof v === 'boolean'
        ? BigInt(v)
        : typeof v === 'number'
          ? BigInt(Math.trunc(v))
          : v == null
            ? 0n
            : BigInt(String(v));
    if (n !== 0n) {
      this.#tag(field, 0);
      this.#varint(n);
    }
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.#tag(field, 2);
    this.#varint(BigInt(b.length));
    for (const x of b) this.#bytes.push(x);
    return this;
  }

  /** A string field; proto3 omits the empty string. */
  string(field: number, s: string | null | undefined): this {
    return s ? this.bytes(field, Buffer.from(s, 'utf8')) : this;
  }

  /** An embedded message field (always written when present, even if empty). */
  message(field: number, m: Uint8Array | undefined): this {
    return m === undefined ? this : this.bytes(field, m);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

/** Reads the fields of one message in order. */
class Reader {
  #pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  done(): boolean {
    return this.#pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.#pos >= this.buf.length) throw new Error('truncated protobuf message');
      const b = this.buf[this.#pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('malformed protobuf varint');
    }
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wireType: number } {
    const t = Number(this.varint());
    return { field: t >>> 3, wireType: t & 7 };
  }

  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (this.#pos + len > this.buf.length) throw new Error('truncated protobuf message');
    const out = this.buf.subarray(this.#pos, this.#pos + len);
    this.#pos += len;
    return out;
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8');
  }

  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  int64(): string {
    return BigInt.asIntN(64, this.varint()).toString();
  }

  /** Skips a field this code does not read (unknown to this version of the contract). */
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.#pos += 8;
    else if (wireType === 2) this.bytes();
    else if (wireType === 5) this.#pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wireType}`);
  }
}

/** Calls `onField` for each field of `buf`; `onField` reads the value or returns false to skip. */
function readFields(
  buf: Uint8Array,
  onField: (r: Reader, field: number, wireType: number) => boolean,
): void {
  const r = new Reader(buf);
  while (!r.done()) {
    const { field, wireType } = r.tag();
    if (!onField(r, field, wireType)) r.skip(wireType);
  }
}

function encodeSyncError(e: SyncError): Uint8Array {
  return new Writer()
    .string(1, e.message)
    .string(2, e.revision)
    .string(3, e.file)
    .int(4, e.line)
    .int(5, e.column)
    .int(6, e.atMs)
    .finish();
}

/** StatusReport (InstanceService.ReportStatus request). */
export function encodeStatusReport(m: StatusReport): Uint8Array {
  const w = new Writer();
  for (const e of m.environments ?? []) {
    const env = new Writer()
      .string(1, e.key)
      .string(2, e.revision)
      .int(3, e.ready ?? false)
      .string(4, e.lastError)
      .int(5, e.lastSyncAtMs)
      .message(6, e.error ? encodeSyncError(e.error) : undefined);
    for (const x of e.warnings ?? []) env.message(7, encodeSyncError(x));
    w.message(1, env.finish());
  }
  w.string(2, m.configVersion).int(3, m.httpPort).int(4, m.grpcPort);
  for (const u of m.tokenUsage ?? [])
    w.message(5, new Writer().string(1, u.tokenId).int(2, u.lastUsedAtMs).finish());
  return w.int(6, m.startedAtMs).int(7, m.lastActiveAtMs).finish();
}

/** UsageBatch (InstanceService.ReportUsage request). */
export function encodeUsageBatch(m: UsageBatch): Uint8Array {
  const w = new Writer().string(1, m.batchId);
  for (const c of m.counts ?? [])
    w.message(
      2,
      new Writer()
        .string(1, c.environmentKey)
        .string(2, c.namespaceKey)
        .string(3, c.flagKey)
        .string(4, c.value)
        .string(5, c.reason)
        .int(6, c.minuteMs)
        .int(7, c.count)
        .int(8, c.lastAtMs)
        .finish(),
    );
  return w.finish();
}

function decodeCredentials(buf: Uint8Array): GitCredentials__Output {
  const m: GitCredentials__Output = { username: '', password: '' };
  readFields(buf, (r, f, wt) => {
    if (wt !== 2) return false;
    if (f === 1) m.username = r.string();
    else if (f === 2) m.password = r.string();
    else return false;
    return true;
  });
  return m;
}

function decodeGitSource(buf: Uint8Array): GitSource__Output {
  const m: GitSource__Output = {
    url: '',
    branch: '',
    directory: '',
    credentials: null,
    pollIntervalMs: 0,
  };
  readFields(buf, (r, f, wt) => {
    if (f === 5 && wt === 0) m.pollIntervalMs = r.int32();
    else if (wt !== 2) return false;
    else if (f === 1) m.url = r.string();
    else if (f === 2) m.branch = r.string();
    else if (f === 3) m.directory = r.string();
    else if (f === 4) m.credentials = decodeCredentials(r.bytes());
    else return false;
    return true;
  });
  return m;
}

function decodeEnvironment(buf: Uint8Array): Environment__Output {
  const m: Environment__Output = { id: '', key: '', name: '', git: null };
  readFields(buf, (r, f, wt) => {
    if (wt !== 2) return false;
    if (f === 1) m.id = r.string();
    else if (f === 2) m.key = r.string();
    else if (f === 3) m.name = r.string();
    else if (f === 4) m.git = decodeGitSource(r.bytes());
    else return false;
    return true;
  });
  return m;
}

function decodeToken(buf: Uint8Array): Token__Output {
  const m: Token__Output = {
    id: '',
    name: '',
    sha256: '',
    environments: [],
    namespaces: [],
    expiresAtMs: '0',
  };
  readFields(buf, (r, f, wt) => {
    if (f === 6 && wt === 0) m.expiresAtMs = r.int64();
    else if (wt !== 2) return false;
    else if (f === 1) m.id = r.string();
    else if (f === 2) m.name = r.string();
    else if (f === 3) m.sha256 = r.string();
    else if (f === 4) m.environments.push(r.string());
    else if (f === 5) m.namespaces.push(r.string());
    else return false;
    return true;
  });
  return m;
}

/** InstanceConfiguration (InstanceService.GetConfig response). */
export function decodeInstanceConfiguration(buf: Uint8Array): InstanceConfiguration__Output {
  const m: InstanceConfiguration__Output = {
    instanceId: '',
    orgId: '',
    orgSlug: '',
    environments: [],
    tokens: [],
    version: '',
    allowedOrigins: [],
    revisions: {},
  };
  readFields(buf, (r, f, wt) => {
    if (wt !== 2) return false;
    if (f === 1) m.instanceId = r.string();
    else if (f === 2) m.orgId = r.string();
    else if (f === 3) m.orgSlug = r.string();
    else if (f === 4) m.environments.push(decodeEnvironment(r.bytes()));
    else if (f === 5) m.tokens.push(decodeToken(r.bytes()));
    else if (f === 6) m.version = r.string();
    else if (f === 8) m.allowedOrigins.push(r.string());
    else if (f === 9) {
      // A map entry is a message of key = 1, value = 2; either may be absent (then empty).
      let key = '';
      let value = '';
      readFields(r.bytes(), (e, ef, ewt) => {
        if (ewt !== 2) return false;
        if (ef === 1) key = e.string();
        else if (ef === 2) value = e.string();
        else return false;
        return true;
      });
      m.revisions[key] = value;
    } else return false;
    return true;
  });
  return m;
}

/** WatchEvent (an InstanceService.Watch stream message). */
export function decodeWatchEvent(buf: Uint8Array): WatchEvent__Output {
  const m: WatchEvent__Output = {};
  readFields(buf, (r, f, wt) => {
    if (wt !== 2) return false;
    if (f === 1) {
      const changed = { environmentKey: '', revision: '' };
      readFields(r.bytes(), (e, ef, ewt) => {
        if (ewt !== 2) return false;
        if (ef === 1) changed.environmentKey = e.string();
        else if (ef === 2) changed.revision = e.string();
        else return false;
        return true;
      });
      // A oneof holds one member: the last one on the wire wins.
      delete m.tokensChanged;
      delete m.configChanged;
      m.environmentChanged = changed;
      m.event = 'environmentChanged';
    } else if (f === 2 || f === 3) {
      r.bytes(); // both are empty messages
      delete m.environmentChanged;
      delete m.configChanged;
      delete m.tokensChanged;
      if (f === 2) m.tokensChanged = {};
      else m.configChanged = {};
      m.event = f === 2 ? 'tokensChanged' : 'configChanged';
    } else return false;
    return true;
  });
  return m;
}

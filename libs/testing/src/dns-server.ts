/**
 * A small authoritative DNS server for tests, on 127.0.0.1 with an ephemeral port, over UDP and TCP
 * (the same port number). It answers TXT, A and AAAA questions from a table the test sets (names
 * are case-insensitive, without the trailing dot): NXDOMAIN for an unknown name, an empty answer
 * (NODATA) for a known name without records of the asked type. UDP answers above 512 bytes are
 * truncated (TC bit), so resolvers retry over TCP like they would against a real server.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIPv4, isIPv6, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** Records of one name. */
export interface DnsRecords {
  /** Each entry is one TXT record; values over 255 bytes are split into character-strings. */
  TXT?: string[];
  A?: string[];
  AAAA?: string[];
}

/** One question the server received. */
export interface DnsQuery {
  name: string;
  type: 'TXT' | 'A' | 'AAAA' | number;
  transport: 'udp' | 'tcp';
}

/** A running DNS server. */
export interface DnsServer {
  /** `127.0.0.1:<port>`: the form `dns.Resolver#setServers` and `DNS_RESOLVERS` take. */
  readonly address: string;
  readonly port: number;
  /** Every question answered so far, in order. */
  readonly queries: readonly DnsQuery[];
  /** Sets (replaces) the records of `name`; `null` removes the name (NXDOMAIN). */
  set(name: string, records: DnsRecords | null): void;
  /** Removes every name. */
  clear(): void;
  close(): Promise<void>;
}

const TYPES = { A: 1, TXT: 16, AAAA: 28 } as const;
const TYPE_NAMES = new Map<number, 'A' | 'TXT' | 'AAAA'>([
  [1, 'A'],
  [16, 'TXT'],
  [28, 'AAAA'],
]);
const UDP_LIMIT = 512;
const TTL = 60;

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

interface Question {
  id: number;
  flags: number;
  name: string;
  type: number;
  /** The question section as received, echoed in the answer. */
  raw: Buffer;
}

/** Parses the header and the first question; null for anything malformed (no answer is sent). */
function parseQuestion(msg: Buffer): Question | null {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return null;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const len = msg[at];
    if (len === undefined || len > 63) return null; // compression pointers never appear in a question
    at += 1;
    if (len === 0) break;
    if (at + len > msg.length) return null;
    labels.push(msg.subarray(at, at + len).toString('latin1'));
    at += len;
  }
  if (at + 4 > msg.length) return null;
  return {
    id: msg.readUInt16BE(0),
    flags: msg.readUInt16BE(2),
    name: normalise(labels.join('.')),
    type: msg.readUInt16BE(at),
    raw: msg.subarray(12, at + 4),
  };
}

function rdata(type: 'A' | 'AAAA' | 'TXT', value: string): Buffer {
  if (type === 'A') return Buffer.from(value.split('.').map(Number));
  if (type === 'AAAA') {
    const [head = '', tail = ''] = value.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = value.includes('::')
      ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
      : h;
    const out = Buffer.alloc(16);
    groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
    return out;
  }
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i === 0 || i < bytes.length; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

function answerRecord(type: 'A' | 'AAAA' | 'TXT', value: string): Buffer {
  const data = rdata(type, value);
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  head.writeUInt16BE(TYPES[type], 2);
  head.writeUInt16BE(1, 4); // class IN
  head.writeUInt32BE(TTL, 6);
  head.writeUInt16BE(data.length, 10);
  return Buffer.concat([head, data]);
}

function respond(q: Question, table: Map<string, DnsRecords>, limit: number): Buffer {
  const records = table.get(q.name);
  const typeName = TYPE_NAMES.get(q.type);
  const values = records && typeName ? (records[typeName] ?? []) : [];
  let answers = values.map((v) => answerRecord(typeName!, v));
  const rcode = records ? 0 : 3;
  let truncated = false;
  const size = () => 12 + q.raw.length + answers.reduce((n, a) => n + a.length, 0);
  while (size() > limit && answers.length > 0) {
    answers = answers.slice(0, -1);
    truncated = true;
  }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  // QR, the query's opcode and RD, AA, RA; TC when answers were cut.
  header.writeUInt16BE(
    0x8000 | (q.flags & 0x7900) | 0x0400 | (truncated ? 0x0200 : 0) | 0x0080 | rcode,
    2,
  );
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, q.raw, ...answers]);
}

function serveTcp(socket: Socket, handle: (msg: Buffer) => Buffer | null): void {
  let pending = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
      const msg = pending.subarray(2, 2 + pending.readUInt16BE(0));
      pending = pending.subarray(2 + msg.length);
      const out = handle(msg);
      if (!out) return void socket.destroy();
      const len = Buffer.alloc(2);
      len.writeUInt16BE(out.length);
      socket.write(Buffer.concat([len, out]));
    }
  });
}

async function bind(): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  // UDP picks the port; TCP takes the same number, retried with a fresh port if it is taken.
  for (let attempt = 0; ; attempt++) {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      udp.once('error', reject).bind(0, '127.0.0.1', () => resolve()),
    );
    const port = udp.address().port;
    const tcp = createServer();
    try {
      await new Promise<void>((resolve, reject) =>
        tcp.once('error', reject).listen(port, '127.0.0.1', () => resolve()),
      );
      return { udp, tcp, port: (tcp.address() as AddressInfo).port };
    } catch (e) {
      udp.close();
      if (attempt >= 10) throw e;
    }
  }
}

/** Starts a DNS server on 127.0.0.1 (UDP and TCP, one ephemeral port) answering from `records`. */
export async function startDnsServer(records: Record<string, DnsRecords> = {}): Promise<DnsServer> {
  const table = new Map(Object.entries(records).map(([k, v]) => [normalise(k), v]));
  const queries: DnsQuery[] = [];
  const { udp, tcp, port } = await bind();
  const handle = (msg: Buffer, transport: 'udp' | 'tcp'): Buffer | null => {
    const q = parseQuestion(msg);
    if (!q) return null;
    queries.push({ name: q.name, type: TYPE_NAMES.get(q.type) ?? q.type, transport });
    return respond(q, table, transport === 'udp' ? UDP_LIMIT : 65_535);
  };
  udp.on('message', (msg, rinfo) => {
    const out = handle(msg, 'udp');
    if (out) udp.send(out, rinfo.port, rinfo.address);
  });
  tcp.on('connection', (socket) => serveTcp(socket, (msg) => handle(msg, 'tcp')));
  return {
    address: `127.0.0.1:${port}`,
    port,
    queries,
    set(name, value) {
      for (const ip of value?.A ?? [])
        if (!isIPv4(ip)) throw new Error(`not an IPv4 address: ${ip}`);
      for (const ip of value?.AAAA ?? [])
        if (!isIPv6(ip) || ip.includes('.')) throw new Error(`not a plain IPv6 address: ${ip}`);
      if (value === null) table.delete(normalise(name));
      else table.set(normalise(name), value);
    },
    clear: () => table.clear(),
    async close() {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

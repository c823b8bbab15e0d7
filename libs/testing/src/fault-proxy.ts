/**
 * A fault-injecting TCP proxy for tests (a small Toxiproxy): put it between a client and a real
 * server and switch faults at runtime: refuse new connections (down), reset a fraction of
 * connections, or add latency to every chunk. Listens on 127.0.0.1 with an ephemeral port.
 */
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/** Current faults; all off by default. */
export interface ProxyFaults {
  /** Close every new connection at once and cut existing ones. */
  down: boolean;
  /** Fraction (0..1) of connections reset after their first upstream chunk, spread evenly (every 1/rate-th). */
  resetRate: number;
  /** Delay added to each chunk in both directions, in ms (plus up to `jitterMs`). */
  latencyMs: number;
  jitterMs: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** `127.0.0.1:<port>`; use as host:port in URLs. */
  readonly address: string;
  readonly port: number;
  /** Connections accepted since start. */
  readonly connections: number;
  /** Connections the proxy reset on purpose. */
  readonly resets: number;
  /** Changes faults (merged with the current ones). */
  setFaults(faults: Partial<ProxyFaults>): void;
  close(): Promise<void>;
}

/** Starts a proxy forwarding to `target` (host and port). */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const faults: ProxyFaults = { down: false, resetRate: 0, latencyMs: 0, jitterMs: 0 };
  const open = new Set<Socket>();
  let connections = 0;
  let resets = 0;
  let resetDebt = 0;
  const server = createServer((client) => {
    connections += 1;
    if (faults.down) return void client.destroy();
    const upstream = connect(target.port, target.host);
    // Deterministic spread (error diffusion), so a test with few connections still sees resets.
    resetDebt += faults.resetRate;
    const reset = resetDebt >= 1;
    if (reset) resetDebt -= 1;
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    // Chunks of one direction keep their order: each is due no earlier than the one before.
    const relay = (from: Socket, to: Socket, isUpstream: boolean) => {
      let dueAt = 0;
      from.on('data', (chunk: Buffer) => {
        if (reset && isUpstream) {
          resets += 1;
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        dueAt = Math.max(dueAt, Date.now() + faults.latencyMs + Math.random() * faults.jitterMs);
        const wait = dueAt - Date.now();
        if (wait <= 0) to.write(chunk);
        else setTimeout(() => to.writable && to.write(chunk), wait);
      });
      from.on('end', () => setTimeout(() => to.end(), Math.max(0, dueAt - Date.now())));
    };
    relay(client, upstream, false);
    relay(upstream, client, true);
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get resets() {
      return resets;
    },
    setFaults(next) {
      Object.assign(faults, next);
      if (faults.down) for (const s of open) s.destroy();
    },
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

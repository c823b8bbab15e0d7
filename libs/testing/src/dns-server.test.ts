import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type DnsServer } from './dns-server.js';

let dns: DnsServer;
let resolver: Resolver;
beforeAll(async () => {
  dns = await startDnsServer({
    'Example.TEST': { TXT: ['hello', 'v=spf1 -all'], A: ['192.0.2.7'], AAAA: ['2001:db8::7'] },
  });
  resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([dns.address]);
});
afterAll(async () => {
  await dns?.close();
});

describe('startDnsServer', () => {
  it('answers TXT, A and AAAA from the table, case-insensitively', async () => {
    expect((await resolver.resolveTxt('example.test')).map((r) => r.join('')).sort()).toEqual([
      'hello',
      'v=spf1 -all',
    ]);
    expect(await resolver.resolve4('EXAMPLE.test')).toEqual(['192.0.2.7']);
    expect(await resolver.resolve6('example.test')).toEqual(['2001:db8::7']);
    expect(dns.queries.slice(0, 3)).toEqual([
      { name: 'example.test', type: 'TXT', transport: 'udp' },
      { name: 'example.test', type: 'A', transport: 'udp' },
      { name: 'example.test', type: 'AAAA', transport: 'udp' },
    ]);
  });

  it('NXDOMAIN for an unknown name, NODATA for a known name without that type', async () => {
    await expect(resolver.resolveTxt('nope.example.test')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
    dns.set('only-a.test', { A: ['192.0.2.1'] });
    await expect(resolver.resolveTxt('only-a.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('set and remove records between questions', async () => {
    dns.set('_challenge.acme.test', { TXT: ['token=1'] });
    expect(await resolver.resolveTxt('_challenge.acme.test')).toEqual([['token=1']]);
    dns.set('_challenge.acme.test', null);
    await expect(resolver.resolveTxt('_challenge.acme.test')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('splits a long TXT value into 255-byte strings', async () => {
    const long = 'x'.repeat(300);
    dns.set('long.test', { TXT: [long] });
    const [record] = await resolver.resolveTxt('long.test');
    expect(record!.map((s) => s.length)).toEqual([255, 45]);
    expect(record!.join('')).toBe(long);
  });

  it('truncates a large UDP answer; the resolver retries over TCP and gets all of it', async () => {
    const values = Array.from({ length: 12 }, (_, i) => `${i}`.padStart(80, 'v'));
    dns.set('big.test', { TXT: values });
    const before = dns.queries.length;
    expect((await resolver.resolveTxt('big.test')).map((r) => r.join('')).sort()).toEqual(
      [...values].sort(),
    );
    expect(dns.queries.slice(before).map((q) => q.transport)).toEqual(['udp', 'tcp']);
  });

  it('refuses records that are not addresses', () => {
    expect(() => dns.set('bad.test', { A: ['not-an-ip'] })).toThrow(/IPv4/);
  });
});

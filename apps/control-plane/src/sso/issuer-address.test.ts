import { describe, expect, it } from 'vitest';
import { isPrivateAddress, resolvesToPrivateAddress } from './issuer-address.js';

describe('issuer address policy', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip'])('%s is private', (a) => {
    expect(isPrivateAddress(a)).toBe(true);
  });
  it.each(['8.8.8.8', '142.250.74.46', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is public', (a) => {
    expect(isPrivateAddress(a)).toBe(false);
  });
  it('literal and resolved loopback hosts are private', async () => {
    expect(await resolvesToPrivateAddress('127.0.0.1')).toBe(true);
    expect(await resolvesToPrivateAddress('[::1]')).toBe(true);
    expect(await resolvesToPrivateAddress('localhost')).toBe(true);
  });
});

import { Resolver } from 'node:dns/promises';
import { Inject, Injectable } from '@nestjs/common';
import { errors } from '@switchyard/flags';
import { CONFIG } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';

// Codes that mean "the name or the record does not exist" (an answer), as opposed to a failed lookup.
const ABSENT = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/**
 * TXT lookups for domain verification, through the configured DNS servers (`DNS_RESOLVERS`) or the
 * system resolver. No cache of its own: a verification must see the record as published now.
 */
@Injectable()
export class TxtLookupService {
  private readonly resolver = new Resolver({ timeout: 3000, tries: 2 });

  constructor(@Inject(CONFIG) config: AppConfig) {
    if (config.dnsResolvers.length > 0) this.resolver.setServers([...config.dnsResolvers]);
  }

  /** The TXT records of `name` (each record's strings joined); [] when it has none. Unavailable when DNS does not answer. */
  async txt(name: string): Promise<string[]> {
    try {
      return (await this.resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && ABSENT.has(code)) return [];
      throw errors.unavailable(
        `DNS lookup of ${name} failed (${typeof code === 'string' ? code : 'error'}); try again later`,
      );
    }
  }
}

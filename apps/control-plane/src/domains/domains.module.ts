import { Module } from '@nestjs/common';
import { DomainsController } from './domains.controller.js';
import { DomainsService } from './domains.service.js';
import { TxtLookupService } from './txt-lookup.service.js';

/** Organisation domains and their DNS verification. */
@Module({ controllers: [DomainsController], providers: [DomainsService, TxtLookupService] })
export class DomainsModule {}

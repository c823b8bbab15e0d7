import { Module } from '@nestjs/common';
import { AuthenticatorService } from './authenticator.service.js';
import { PatsService } from './pats.service.js';
import { SessionController } from './session.controller.js';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

@Module({ controllers: [SessionController], providers: [SessionsService, AuthenticatorService, PatsService, UsersService], exports: [SessionsService, AuthenticatorService, PatsService] })
export class AuthModule {}

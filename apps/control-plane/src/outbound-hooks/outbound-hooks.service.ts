import { Inject, Injectable } from '@nestjs/common';
import {
  withTransaction,
  type Database,
  type OutboundHook,
  type OutboundHookDelivery,
} from '@switchyard/db';
import { errors, isSwitchyardError } from '@switchyard/flags';
import { checkTarget, targetOf, type AddressPolicy } from '@switchyard/git-store';
import { AuditService } from '../audit/audit.service.js';
import { seal, type Keys } from '../common/crypto.js';
import { pageArgs, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requirePermission } from '../common/permissions.js';
import type { OrgContext } from '../common/request-context.js';
import { CONFIG, DB, KEYS } from '../common/tokens.js';
import type { AppConfig } from '../config/config.js';
import { hookSecretAad } from './hook-delivery.js';
import { HookEmitter, newEventId } from './hook-emitter.service.js';
import { PING_EVENT, type HookPayload } from './hook-events.js';
import { newHookSecret } from './hook-signature.js';
import type {
  CreateHookBody,
  DeliveryDetail,
  DeliveryView,
  HookView,
  UpdateHookBody,
} from './outbound-hooks.dto.js';

function view(h: OutboundHook): HookView {
  return {
    id: h.id,
    name: h.name,
    url: h.url,
    events: h.events,
    enabled: h.enabled,
    createdAt: h.createdAt.toISOString(),
    updatedAt: h.updatedAt.toISOString(),
  };
}

function deliveryView(d: OutboundHookDelivery): DeliveryView {
  return {
    id: d.id,
    hookId: d.hookId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    durationMs: d.durationMs,
    error: d.error,
    createdAt: d.createdAt.toISOString(),
    lastAttemptAt: d.attempts > 0 ? d.updatedAt.toISOString() : null,
  };
}

/**
 * An organisation's outbound webhooks (admins only: a hook sends every change of the organisation
 * to a URL of the admin's choice). The signing secret is generated here, returned once and kept
 * AES-256-GCM-sealed to its row; target URLs pass the one address policy when saved and again,
 * pinned, at every delivery.
 */
@Injectable()
export class OutboundHooksService {
  constructor(
    @Inject(DB) private readonly db: Database,
    @Inject(KEYS) private readonly keys: Keys,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly emitter: HookEmitter,
  ) {}

  async list(ctx: OrgContext, query: PageQuery): Promise<Page<HookView>> {
    requirePermission(ctx, 'hooks:read');
    const page = pageArgs(query);
    const rows = await this.db.outboundHook.findMany({
      ...page,
      where: { ...page.where, orgId: ctx.org.id },
    });
    return toPage(rows, query.limit, view);
  }

  async get(ctx: OrgContext, hookId: string): Promise<HookView> {
    requirePermission(ctx, 'hooks:read');
    return view(await this.find(ctx, hookId));
  }

  async create(ctx: OrgContext, body: CreateHookBody): Promise<HookView & { secret: string }> {
    requirePermission(ctx, 'hooks:write');
    await this.checkUrl(body.url);
    const secret = newHookSecret();
    const created = await withTransaction(this.db, async (tx) => {
      const row = await tx.outboundHook.create({
        data: {
          orgId: ctx.org.id,
          name: body.name,
          url: body.url,
          events: [...new Set(body.events)],
          enabled: body.enabled,
          secretCiphertext: new Uint8Array(),
          createdById: ctx.principal.userId,
        },
      });
      // Sealed once the row id exists: the AAD binds the ciphertext to this tenant and row.
      const sealed = await tx.outboundHook.update({
        where: { id: row.id },
        data: {
          secretCiphertext: seal(this.keys.encryption, secret, hookSecretAad(ctx.org.id, row.id)),
        },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'outbound_hook.create',
        targetType: 'outbound_hook',
        targetId: row.id,
        after: view(sealed),
      });
      return sealed;
    });
    return { ...view(created), secret };
  }

  async update(ctx: OrgContext, hookId: string, body: UpdateHookBody): Promise<HookView> {
    requirePermission(ctx, 'hooks:write');
    if (body.url !== undefined) await this.checkUrl(body.url);
    return withTransaction(this.db, async (tx) => {
      const before = await tx.outboundHook.findFirst({ where: { id: hookId, orgId: ctx.org.id } });
      if (!before) throw errors.notFound('webhook not found');
      const after = await tx.outboundHook.update({
        where: { id: before.id },
        data: {
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.url !== undefined ? { url: body.url } : {}),
          ...(body.events !== undefined ? { events: [...new Set(body.events)] } : {}),
          ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        },
      });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'outbound_hook.update',
        targetType: 'outbound_hook',
        targetId: before.id,
        before: view(before),
        after: view(after),
      });
      return view(after);
    });
  }

  async delete(ctx: OrgContext, hookId: string): Promise<void> {
    requirePermission(ctx, 'hooks:write');
    await withTransaction(this.db, async (tx) => {
      const before = await tx.outboundHook.findFirst({ where: { id: hookId, orgId: ctx.org.id } });
      if (!before) throw errors.notFound('webhook not found');
      await tx.outboundHook.delete({ where: { id: before.id } });
      await this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action: 'outbound_hook.delete',
        targetType: 'outbound_hook',
        targetId: before.id,
        before: view(before),
      });
    });
  }

  /** Queues a `ping` to this hook (whatever it subscribes to, enabled or not is checked at send). */
  async test(ctx: OrgContext, hookId: string): Promise<DeliveryView> {
    requirePermission(ctx, 'hooks:write');
    const hook = await this.find(ctx, hookId);
    if (!hook.enabled)
      throw errors.failedPrecondition('the webhook is disabled: enable it to send a test delivery');
    const payload: HookPayload = {
      id: newEventId(),
      type: PING_EVENT,
      occurredAt: new Date().toISOString(),
      org: { id: ctx.org.id, slug: ctx.org.slug },
      actor: { email: ctx.principal.email },
      hook: { id: hook.id, events: hook.events },
    };
    return this.send(ctx, hook, payload, 'outbound_hook.test', false);
  }

  async deliveries(ctx: OrgContext, hookId: string, query: PageQuery): Promise<Page<DeliveryView>> {
    requirePermission(ctx, 'hooks:read');
    const hook = await this.find(ctx, hookId);
    const page = pageArgs(query, 'desc');
    const rows = await this.db.outboundHookDelivery.findMany({
      ...page,
      where: { ...page.where, hookId: hook.id },
    });
    return toPage(rows, query.limit, deliveryView);
  }

  async delivery(ctx: OrgContext, hookId: string, deliveryId: string): Promise<DeliveryDetail> {
    requirePermission(ctx, 'hooks:read');
    const d = await this.findDelivery(ctx, hookId, deliveryId);
    return { ...deliveryView(d), body: d.body, responseBody: d.responseBody };
  }

  /** Sends a delivery's exact body again, as a new delivery of the same event (same `id`). */
  async redeliver(ctx: OrgContext, hookId: string, deliveryId: string): Promise<DeliveryView> {
    requirePermission(ctx, 'hooks:write');
    const d = await this.findDelivery(ctx, hookId, deliveryId);
    const hook = await this.find(ctx, hookId);
    if (!hook.enabled)
      throw errors.failedPrecondition('the webhook is disabled: enable it to redeliver');
    return this.send(ctx, hook, JSON.parse(d.body) as HookPayload, 'outbound_hook.redeliver', true);
  }

  private async send(
    ctx: OrgContext,
    hook: OutboundHook,
    payload: HookPayload,
    action: 'outbound_hook.test' | 'outbound_hook.redeliver',
    redelivery: boolean,
  ): Promise<DeliveryView> {
    const [id] = await this.emitter.enqueue(ctx.org.id, [hook.id], payload, redelivery);
    if (id === undefined) throw errors.conflict('this event was already sent to the webhook');
    await withTransaction(this.db, (tx) =>
      this.audit.record(tx, ctx, {
        orgId: ctx.org.id,
        action,
        targetType: 'outbound_hook',
        targetId: hook.id,
        after: { deliveryId: id, eventId: payload.id, eventType: payload.type },
      }),
    );
    return deliveryView(await this.db.outboundHookDelivery.findUniqueOrThrow({ where: { id } }));
  }

  private async find(ctx: OrgContext, hookId: string): Promise<OutboundHook> {
    const hook = await this.db.outboundHook.findFirst({ where: { id: hookId, orgId: ctx.org.id } });
    if (!hook) throw errors.notFound('webhook not found');
    return hook;
  }

  private async findDelivery(ctx: OrgContext, hookId: string, deliveryId: string) {
    const d = await this.db.outboundHookDelivery.findFirst({
      where: { id: deliveryId, hookId, orgId: ctx.org.id },
    });
    if (!d) throw errors.notFound('delivery not found');
    return d;
  }

  /**
   * The address policy at save time: internal names, special-purpose literals and names that
   * resolve to any non-public address are a 400 on `body.url` (unless the origin is allow-listed);
   * a name that does not resolve now is accepted (every delivery checks and pins again).
   */
  private async checkUrl(url: string): Promise<void> {
    const target = targetOf(new URL(url));
    if (!target)
      throw errors.invalidArgument('invalid webhook URL', [
        { path: 'body.url', message: 'must be an absolute http(s) URL' },
      ]);
    try {
      await checkTarget(target, this.policy(), 'body.url');
    } catch (e) {
      if (!isSwitchyardError(e, 'Unavailable')) throw e;
    }
  }

  private policy(): AddressPolicy {
    return { allowedOrigins: this.config.outbound.allowedOrigins };
  }
}

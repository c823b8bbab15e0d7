import { Injectable } from '@nestjs/common';
import { edits, errors, type Flag, type NamespaceModel, type Segment } from '@switchyard/flags';
import type { OrgContext } from '../common/request-context.js';
import { EnvironmentReader } from './environment-reader.service.js';
import type { AuditAction } from '../audit/audit-actions.js';
import {
  FlagCommitter,
  type EditDescription,
  type WriteResult,
  type WriteTarget,
} from './flag-committer.service.js';
import { flagFilter } from './flag-filter.js';
import type {
  CreateNamespaceBody,
  ListFlagsQuery,
  RulesBody,
  RolloutsBody,
  UpdateNamespaceBody,
} from './flags.dto.js';

/** Namespaces, flags (variants, rules, rollouts) and segments of an environment, stored in git. */
@Injectable()
export class FlagsService {
  constructor(
    private readonly reader: EnvironmentReader,
    private readonly writer: FlagCommitter,
  ) {}

  private async namespaces(
    ctx: OrgContext,
    envKey: string,
  ): Promise<{ revision: string; namespaces: NamespaceModel[] }> {
    const opened = await this.reader.open(ctx, envKey);
    const ws = await this.reader.workspace(opened, opened.head);
    return { revision: opened.head, namespaces: ws.environment.namespaces };
  }

  private async namespace(
    ctx: OrgContext,
    envKey: string,
    ns: string,
  ): Promise<{ revision: string; namespace: NamespaceModel }> {
    const { revision, namespaces } = await this.namespaces(ctx, envKey);
    const namespace = namespaces.find((n) => n.key === ns);
    if (!namespace) throw errors.notFound(`namespace "${ns}" not found`);
    return { revision, namespace };
  }

  async listNamespaces(ctx: OrgContext, envKey: string) {
    const { revision, namespaces } = await this.namespaces(ctx, envKey);
    return {
      revision,
      namespaces: namespaces.map((n) => ({
        key: n.key,
        name: n.name,
        ...(n.description ? { description: n.description } : {}),
      })),
    };
  }

  createNamespace(
    ctx: OrgContext,
    t: WriteTarget,
    body: CreateNamespaceBody,
  ): Promise<WriteResult> {
    return this.writer.mutate(
      ctx,
      t,
      {
        summary: `Create namespace ${body.key}`,
        trailers: { Namespace: body.key },
        action: 'namespace.create',
        targetType: 'namespace',
        targetId: `${t.envKey}/${body.key}`,
      },
      (ws) => edits.createNamespace(ws, body.key, body),
    );
  }

  updateNamespace(
    ctx: OrgContext,
    t: WriteTarget,
    ns: string,
    body: UpdateNamespaceBody,
  ): Promise<WriteResult> {
    return this.writer.mutate(
      ctx,
      t,
      {
        summary: `Update namespace ${ns}`,
        trailers: { Namespace: ns },
        action: 'namespace.update',
        targetType: 'namespace',
        targetId: `${t.envKey}/${ns}`,
      },
      (ws) => edits.updateNamespace(ws, ns, body),
    );
  }

  deleteNamespace(ctx: OrgContext, t: WriteTarget, ns: string): Promise<WriteResult> {
    return this.writer.mutate(
      ctx,
      t,
      {
        summary: `Delete namespace ${ns}`,
        trailers: { Namespace: ns },
        action: 'namespace.delete',
        targetType: 'namespace',
        targetId: `${t.envKey}/${ns}`,
      },
      (ws) => edits.deleteNamespace(ws, ns),
    );
  }

  async listFlags(ctx: OrgContext, envKey: string, ns: string, filter: ListFlagsQuery = {}) {
    const { revision, namespace } = await this.namespace(ctx, envKey, ns);
    return { revision, flags: namespace.flags.filter(flagFilter(filter)) };
  }

  async getFlag(ctx: OrgContext, envKey: string, ns: string, key: string) {
    const { revision, namespace } = await this.namespace(ctx, envKey, ns);
    const flag = namespace.flags.find((f) => f.key === key);
    if (!flag) throw errors.notFound(`flag "${key}" not found in namespace "${ns}"`);
    return { revision, flag };
  }

  putFlag(
    ctx: OrgContext,
    t: WriteTarget,
    ns: string,
    key: string,
    flag: Flag,
  ): Promise<WriteResult> {
    if (flag.key !== key)
      throw errors.invalidArgument('the body names another flag', [
        { path: 'body.key', message: 'must equal the flag key in the path' },
      ]);
    return this.writer.mutate(
      ctx,
      t,
      this.edit('flag', 'Put', 'flag.put', t, ns, key),
      (ws) => void edits.putFlag(ws, ns, flag),
    );
  }

  deleteFlag(ctx: OrgContext, t: WriteTarget, ns: string, key: string): Promise<WriteResult> {
    return this.writer.mutate(
      ctx,
      t,
      this.edit('flag', 'Delete', 'flag.delete', t, ns, key),
      (ws) => edits.deleteFlag(ws, ns, key),
    );
  }

  setRules(
    ctx: OrgContext,
    t: WriteTarget,
    ns: string,
    key: string,
    body: RulesBody,
  ): Promise<WriteResult> {
    return this.writer.mutate(
      ctx,
      t,
      this.edit('flag', 'Set rules of', 'flag.rules.set', t, ns, key),
      (ws) => edits.setFlagList(ws, ns, key, { rules: body.rules }),
    );
  }

  setRollouts(
    ctx: OrgContext,
    t: WriteTarget,
    ns: string,
    key: string,
    body: RolloutsBody,
  ): Promise<WriteResult> {
    return this.writer.mutate(
      ctx,
      t,
      this.edit('flag', 'Set rollouts of', 'flag.rollouts.set', t, ns, key),
      (ws) => edits.setFlagList(ws, ns, key, { rollouts: body.rollouts }),
    );
  }

  async listSegments(ctx: OrgContext, envKey: string, ns: string) {
    const { revision, namespace } = await this.namespace(ctx, envKey, ns);
    return { revision, segments: namespace.segments };
  }

  async getSegment(ctx: OrgContext, envKey: string, ns: string, key: string) {
    const { revision, namespace } = await this.namespace(ctx, envKey, ns);
    const segment = namespace.segments.find((s) => s.key === key);
    if (!segment) throw errors.notFound(`segment "${key}" not found in namespace "${ns}"`);
    return { revision, segment };
  }

  putSegment(
    ctx: OrgContext,
    t: WriteTarget,
    ns: string,
    key: string,
    segment: Segment,
  ): Promise<WriteResult> {
    if (segment.key !== key)
      throw errors.invalidArgument('the body names another segment', [
        { path: 'body.key', message: 'must equal the segment key in the path' },
      ]);
    return this.writer.mutate(
      ctx,
      t,
      this.edit('segment', 'Put', 'segment.put', t, ns, key),
      (ws) => void edits.putSegment(ws, ns, segment),
    );
  }

  deleteSegment(ctx: OrgContext, t: WriteTarget, ns: string, key: string): Promise<WriteResult> {
    return this.writer.mutate(
      ctx,
      t,
      this.edit('segment', 'Delete', 'segment.delete', t, ns, key),
      (ws) => edits.deleteSegment(ws, ns, key),
    );
  }

  /** The commit summary (human text) and the audit action (a name from the closed list). */
  private edit(
    target: 'flag' | 'segment',
    verb: string,
    action: AuditAction,
    t: WriteTarget,
    ns: string,
    key: string,
  ): EditDescription {
    return {
      summary: t.message ?? `${verb} ${target} ${ns}/${key}`,
      trailers: { [target === 'flag' ? 'Flag' : 'Segment']: `${ns}/${key}` },
      action,
      targetType: target,
      targetId: `${t.envKey}/${ns}/${key}`,
    };
  }
}

/**
 * In-process change notifications for the organisations' instances. Services publish after their
 * transaction committed; the internal gRPC Watch stream forwards them to the org's instance.
 * A lost event costs latency, not correctness: every (re)connected stream starts with
 * config_changed and the instance also polls git.
 */
import { Injectable } from '@nestjs/common';

/** What an instance is told. */
export type InstanceEvent =
  | { kind: 'environment_changed'; environmentKey: string; revision: string }
  | { kind: 'tokens_changed' }
  | { kind: 'config_changed' };

/** Listener of one organisation's events; must not throw. */
export type InstanceEventListener = (event: InstanceEvent) => void;

/** Per-organisation publish/subscribe. */
@Injectable()
export class InstanceEvents {
  readonly #listeners = new Map<string, Set<InstanceEventListener>>();

  /** Subscribes to `orgId`'s events; returns the unsubscribe function. */
  subscribe(orgId: string, listener: InstanceEventListener): () => void {
    let set = this.#listeners.get(orgId);
    if (!set) this.#listeners.set(orgId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(orgId);
    };
  }

  /** Number of open watch streams of `orgId` (tests, metrics). */
  watchers(orgId: string): number {
    return this.#listeners.get(orgId)?.size ?? 0;
  }

  publish(orgId: string, event: InstanceEvent): void {
    for (const l of this.#listeners.get(orgId) ?? []) l(event);
  }

  /** An environment's branch moved (a flag edit, a merge or an external push announced to us). */
  environmentChanged(orgId: string, environmentKey: string, revision: string): void {
    this.publish(orgId, { kind: 'environment_changed', environmentKey, revision });
  }

  /** A client token was created, revoked or expired. */
  tokensChanged(orgId: string): void {
    this.publish(orgId, { kind: 'tokens_changed' });
  }

  /** Environments (source, branch, directory) or credentials changed. */
  configChanged(orgId: string): void {
    this.publish(orgId, { kind: 'config_changed' });
  }
}

/**
 * The one change notification of the control plane. A service announces a change once, after it
 * is durable (the commit is on the branch, the transaction committed); listeners of this replica
 * get it synchronously, and the relay (change-relay.ts) hands it to the other replicas, whose own
 * listeners get it from there. Local delivery never waits for or depends on Redis.
 *
 * A lost event costs latency, not correctness: instances start every (re)connected watch stream
 * with config_changed and also poll git, and a console page reloads on `resync`.
 */
import { Injectable } from '@nestjs/common';

/** Who wrote a commit. */
export interface ChangeAuthor {
  name: string;
  email: string;
}

/** An environment's branch moved to `revision` (an API commit, a merge, a promotion, a push). */
export interface EnvironmentChange {
  orgId: string;
  orgSlug: string;
  envKey: string;
  revision: string;
  /** The branch's previous revision, when the announcer knows it (changed flags are diffed against it). */
  previous?: string;
  author?: ChangeAuthor;
  /** The commit message. */
  summary?: string;
}

/** What listeners receive. */
export type ChangeEvent =
  | ({ kind: 'environment_changed' } & EnvironmentChange)
  | { kind: 'tokens_changed'; orgId: string }
  | { kind: 'config_changed'; orgId: string }
  /**
   * Local only: this replica may have missed other replicas' events (Redis was unreachable);
   * listeners refetch what they show.
   */
  | { kind: 'resync'; orgId: string };

/** Listener of one organisation's events; must not throw. */
export type ChangeListener = (event: ChangeEvent) => void;

/** Where announcements go besides this replica's listeners (the Redis relay). */
export interface ChangeRelayPort {
  forward(event: ChangeEvent): void;
}

/** Per-organisation publish/subscribe of change events, shared across replicas by a relay. */
@Injectable()
export class ChangeEvents {
  readonly #listeners = new Map<string, Set<ChangeListener>>();
  readonly #announced = new Set<ChangeListener>();
  #relay: ChangeRelayPort | undefined;

  /** Subscribes to `orgId`'s events; returns the unsubscribe function. */
  subscribe(orgId: string, listener: ChangeListener): () => void {
    let set = this.#listeners.get(orgId);
    if (!set) this.#listeners.set(orgId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(orgId);
    };
  }

  /**
   * Subscribes to the events announced BY THIS REPLICA, of every organisation (not the ones the
   * relay brings from other replicas): a consumer that must act once per event however many
   * replicas run (outbound webhooks) listens here. Returns the unsubscribe function.
   */
  onAnnounced(listener: ChangeListener): () => void {
    this.#announced.add(listener);
    return () => this.#announced.delete(listener);
  }

  /** Number of listeners of `orgId` (watch streams and event streams; tests, metrics). */
  listeners(orgId: string): number {
    return this.#listeners.get(orgId)?.size ?? 0;
  }

  /** Announces that an environment's branch now points at `revision`, once per commit. */
  environmentChanged(change: EnvironmentChange): void {
    this.announce({ kind: 'environment_changed', ...change });
  }

  /** A client token was created, revoked or expired. */
  tokensChanged(orgId: string): void {
    this.announce({ kind: 'tokens_changed', orgId });
  }

  /** Environments (source, branch, directory) or credentials changed. */
  configChanged(orgId: string): void {
    this.announce({ kind: 'config_changed', orgId });
  }

  /** Tells every listener of this replica to refetch (events from other replicas may be lost). */
  resyncAll(): void {
    for (const orgId of [...this.#listeners.keys()]) this.deliver({ kind: 'resync', orgId });
  }

  /** Connects the cross-replica relay (set once at boot). */
  attachRelay(relay: ChangeRelayPort): void {
    this.#relay = relay;
  }

  /** Hands an event to this replica's listeners only (the relay's delivery of a remote event). */
  deliver(event: ChangeEvent): void {
    for (const l of [...(this.#listeners.get(event.orgId) ?? [])]) {
      try {
        l(event);
      } catch {
        // A listener's failure (a closed stream) must not keep the event from the others.
      }
    }
  }

  private announce(event: ChangeEvent): void {
    this.deliver(event);
    for (const l of [...this.#announced]) {
      try {
        l(event);
      } catch {
        // Same rule as deliver(): one listener's failure does not reach the announcer.
      }
    }
    this.#relay?.forward(event);
  }
}

import { Injectable } from '@nestjs/common';

/** An environment's branch moved to `revision` (a console commit, a merge, or an external push). */
export interface EnvironmentChanged {
  orgId: string;
  environmentId: string;
  revision: string;
}

/** Listener of {@link EnvironmentEvents}. */
export type EnvironmentListener = (event: EnvironmentChanged) => void;

/**
 * In-process notifier: the provisioning layer subscribes and forwards changes to the org's data
 * plane (watch stream), so instances do not wait for a poll. Listeners must not throw.
 */
@Injectable()
export class EnvironmentEvents {
  private readonly listeners = new Set<EnvironmentListener>();

  /** Subscribes; returns the unsubscribe function. */
  on(listener: EnvironmentListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Announces that an environment's branch now points at `revision`. */
  environmentChanged(orgId: string, environmentId: string, revision: string): void {
    for (const l of this.listeners) l({ orgId, environmentId, revision });
  }
}

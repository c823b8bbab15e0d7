/**
 * Notifications about scheduled changes, for code that reacts to them (outbound webhooks, the
 * console's live views). Emitted by the process that made the change — the API process for
 * created/approved/cancelled, the worker that ran it for applied/failed — after the state is
 * durable in the database; in-process only (the row is the truth, listeners may re-read it).
 */
import { Injectable } from '@nestjs/common';

/** What happened to a scheduled change. */
export type ScheduleEventKind =
  | 'schedule.created'
  | 'schedule.approved'
  | 'schedule.cancelled'
  | 'schedule.applied'
  | 'schedule.failed';

/** One scheduled-change notification. */
export interface ScheduleEvent {
  kind: ScheduleEventKind;
  orgId: string;
  envKey: string;
  scheduleId: string;
  /** `flag`, `promotion` or `proposal`. */
  changeKind: string;
  namespace?: string | undefined;
  flag?: string | undefined;
  /** When it runs (ISO 8601, UTC). */
  runAt: string;
  /** The commit it made (applied). */
  revision?: string | undefined;
  /** Why it did not apply (failed). */
  reason?: string | undefined;
  /** Who scheduled it. */
  createdBy: string;
}

/** Listener of scheduled-change events; must not throw (errors are swallowed). */
export type ScheduleListener = (event: ScheduleEvent) => void;

/** In-process publish/subscribe of {@link ScheduleEvent}s. */
@Injectable()
export class ScheduleEvents {
  readonly #listeners = new Set<ScheduleListener>();

  /** Subscribes to every organisation's schedule events; returns the unsubscribe function. */
  on(listener: ScheduleListener): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Hands `event` to every listener; one listener's failure does not keep it from the others. */
  emit(event: ScheduleEvent): void {
    for (const l of [...this.#listeners]) {
      try {
        l(event);
      } catch {
        // A listener's failure must not undo or delay the change it is told about.
      }
    }
  }
}

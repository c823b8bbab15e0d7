/**
 * A signal that aborts when `parent` aborts or after `ms`. Written out by hand because
 * `AbortSignal.any([AbortSignal.timeout(ms)])` can lose its timeout on Node 20: nothing holds the
 * timeout signal strongly, so under GC pressure it may be collected and never fire (seen as a
 * git fetch that outlived its deadline while evaluations churned the heap).
 */

/** A deadline-bound signal; call `dispose` when the guarded work ends to clear the timer. */
export interface Deadline {
  signal: AbortSignal;
  dispose(): void;
}

/** Returns a signal aborted by `parent` or after `ms` milliseconds, whichever comes first. */
export function deadlineSignal(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('deadline exceeded')), ms);
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/**
 * Live updates of one environment for console pages: the control plane's server-sent event
 * stream (`GET /api/v1/orgs/{org}/environments/{env}/events`, through the same-origin proxy, so
 * the session cookie goes along) turned into callbacks.
 */
import { useEffect, useRef } from 'react';
import { z } from 'zod';

const commitSchema = z.object({
  revision: z.string(),
  author: z.object({ name: z.string(), email: z.string() }).nullable(),
  message: z.string(),
  changedFlags: z.array(z.object({ namespace: z.string(), key: z.string() })).optional(),
});

/** One commit of the environment, as a notice shows it ("who changed what"). */
export type CommitNotice = z.infer<typeof commitSchema>;

/** The same-origin URL of an environment's event stream. */
export function environmentEventsUrl(org: string, env: string): string {
  return `/api/v1/orgs/${encodeURIComponent(org)}/environments/${encodeURIComponent(env)}/events`;
}

/** The `data` of a `commit` frame; null when it is not one (a newer or broken server). */
export function parseCommitEvent(data: string): CommitNotice | null {
  try {
    const parsed = commitSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Calls `onCommit` for every commit of `env` made by anyone (this tab included: compare the
 * revision with the one just written to tell them apart), and `onResync` when changes may have
 * been missed (refetch then). The browser reconnects by itself after a network loss; the stream
 * closes when the page unmounts or `org`/`env` change. Callbacks may change between renders.
 */
export function useEnvironmentEvents(
  org: string | undefined,
  env: string | undefined,
  onCommit: (commit: CommitNotice) => void,
  onResync?: () => void,
): void {
  const handlers = useRef({ onCommit, onResync });
  useEffect(() => {
    handlers.current = { onCommit, onResync };
  });
  useEffect(() => {
    if (!org || !env) return;
    const source = new EventSource(environmentEventsUrl(org, env));
    source.addEventListener('commit', (e: MessageEvent<string>) => {
      const commit = parseCommitEvent(e.data);
      if (commit) handlers.current.onCommit(commit);
    });
    source.addEventListener('resync', () => handlers.current.onResync?.());
    return () => source.close();
  }, [org, env]);
}

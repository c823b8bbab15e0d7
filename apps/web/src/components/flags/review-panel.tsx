'use client';
import Link from 'next/link';
import { AlertTriangleIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { FieldChange } from '@switchyard/flags';
import { FieldDiffView, YamlDiffView } from '@/components/diff';
import { FieldError } from '@/components/states';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input, Label } from '@/components/ui/input';
import { ApiError, describeError } from '@/lib/api/errors';
import { localTimeZone, scheduleProposal, toLocalInput } from '@/components/schedules/schedule-api';
import { openProposal } from './flag-api';

/** A state as read: the environment revision and the object (undefined: it does not exist). */
export interface Versioned<T> {
  revision: string;
  value: T | undefined;
}

/** What the panel reports after a commit (or, in a protected environment, a proposal). */
export interface Committed {
  revision: string;
  proposalId?: string | undefined;
}

/**
 * Every save goes through here: the field-level diff, the YAML diff and a commit message, then
 * one write with If-Match. A stale revision (409) shows what changed meanwhile and offers to
 * re-apply the edit on top; a protected environment opens a proposal with the same change.
 */
export function ReviewPanel<T>({
  open,
  onOpenChange,
  what,
  base,
  after,
  isProtected,
  org,
  env,
  defaultMessage,
  diff,
  yaml,
  write,
  reload,
  onReapply,
  onCommitted,
  textChanged = false,
  schedule,
  onScheduled,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  what: string;
  base: Versioned<T>;
  after: T | undefined;
  isProtected: boolean;
  org: string;
  env: string;
  defaultMessage: string;
  diff: (a: T | undefined, b: T | undefined) => FieldChange[];
  yaml: (v: T | undefined) => string;
  write: (
    message: string,
    at: { revision: string; proposal?: string },
  ) => Promise<{ revision: string }>;
  reload: () => Promise<Versioned<T>>;
  onReapply: (latest: Versioned<T>) => void;
  onCommitted: (c: Committed) => void;
  /** The stored YAML text changed without a field change (a comment, a spelling): still a commit. */
  textChanged?: boolean;
  /** Offers "Schedule…": writes the change for later (unprotected environments). */
  schedule?: (message: string, at: { revision: string; runAt: Date }) => Promise<unknown>;
  onScheduled?: () => void;
}) {
  const [message, setMessage] = useState(defaultMessage);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<Versioned<T>>();
  const [proposalId, setProposalId] = useState<string>();
  // The date-time input's value (the browser's time zone) when scheduling; undefined: commit now.
  const [when, setWhen] = useState<string>();
  const [scheduledFor, setScheduledFor] = useState<Date>();
  useEffect(() => {
    if (open) {
      setMessage(defaultMessage);
      setError(undefined);
      setConflict(undefined);
      setProposalId(undefined);
      setWhen(undefined);
      setScheduledFor(undefined);
    }
  }, [open]);

  const changes = diff(base.value, after);
  const proposalsHref = `/orgs/${org}/environments/${env}/proposals`;
  const runAt = when === undefined ? undefined : new Date(when);
  const submitSchedule = async (at: Date) => {
    if (Number.isNaN(at.getTime()) || at.getTime() <= Date.now()) {
      setError('Pick a time in the future.');
      return;
    }
    if (isProtected) {
      // The change goes into a proposal whose merge is scheduled; it runs once someone approves.
      const p = await openProposal(org, env, message);
      const r = await write(message, { revision: p.revision, proposal: p.id });
      await scheduleProposal(org, env, p.id, r.revision, at);
      setProposalId(p.id);
      setScheduledFor(at);
      onCommitted({ revision: r.revision, proposalId: p.id });
      return;
    }
    await schedule!(message, { revision: base.revision, runAt: at });
    onScheduled?.();
    onOpenChange(false);
  };
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      if (runAt !== undefined) await submitSchedule(runAt);
      else if (isProtected) {
        const p = await openProposal(org, env, message);
        const r = await write(message, { revision: p.revision, proposal: p.id });
        setProposalId(p.id);
        onCommitted({ revision: r.revision, proposalId: p.id });
      } else {
        const r = await write(message, { revision: base.revision });
        onCommitted({ revision: r.revision });
        onOpenChange(false);
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setConflict(await reload());
      else setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-w-3xl">
        <DialogHeader>
          <DialogTitle>Review {what}</DialogTitle>
          <DialogDescription>
            {isProtected
              ? 'This environment is protected: your change becomes a proposal for someone else to approve.'
              : 'Check the change, describe it, and commit it to the environment.'}
          </DialogDescription>
        </DialogHeader>
        {proposalId ? (
          <div role="status" className="flex flex-col gap-2 text-sm">
            <p>
              {scheduledFor
                ? `Proposal opened with your change and scheduled for ${scheduledFor.toLocaleString()} (${localTimeZone()}); it runs once someone approves it.`
                : 'Proposal opened with your change; it is served once approved and merged.'}
            </p>
            <Link className="underline" href={`${proposalsHref}/${proposalId}`}>
              Open the proposal
            </Link>
          </div>
        ) : conflict ? (
          <div role="alert" className="flex flex-col gap-3">
            <p className="flex items-center gap-2 font-medium text-warning">
              <AlertTriangleIcon className="size-4" aria-hidden="true" /> Someone committed
              meanwhile
            </p>
            <p className="text-sm">
              The environment moved to {conflict.revision.slice(0, 8)}. What changed in this{' '}
              {what.split(' ')[0]} since you opened it:
            </p>
            <FieldDiffView changes={diff(base.value, conflict.value)} label="Changed meanwhile" />
            <div className="flex justify-end gap-2">
              <Button variant="outline" onClick={() => onOpenChange(false)}>
                Cancel
              </Button>
              <Button
                onClick={() => {
                  onReapply(conflict);
                  setConflict(undefined);
                }}
              >
                Re-apply my edit on top
              </Button>
            </div>
          </div>
        ) : (
          <form
            className="flex flex-col gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <section aria-labelledby="review-fields-h" className="flex flex-col gap-2">
              <h3 id="review-fields-h" className="text-sm font-semibold">
                Fields
              </h3>
              <FieldDiffView changes={changes} />
            </section>
            <section aria-labelledby="review-yaml-h" className="flex flex-col gap-2">
              <h3 id="review-yaml-h" className="text-sm font-semibold">
                YAML
              </h3>
              <YamlDiffView before={yaml(base.value)} after={yaml(after)} />
            </section>
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="commit-message">Commit message</Label>
              <Input
                id="commit-message"
                value={message}
                maxLength={200}
                required
                onChange={(e) => setMessage(e.target.value)}
              />
            </div>
            {schedule && (
              <div className="flex flex-col gap-1.5">
                <Button
                  type="button"
                  variant="outline"
                  className="self-start"
                  aria-expanded={when !== undefined}
                  aria-controls="schedule-fields"
                  onClick={() =>
                    setWhen(
                      when === undefined
                        ? toLocalInput(new Date(Date.now() + 3_600_000))
                        : undefined,
                    )
                  }
                >
                  {when === undefined ? 'Schedule…' : 'Commit now instead'}
                </Button>
                {when !== undefined && (
                  <div id="schedule-fields" className="flex flex-col gap-1.5">
                    <Label htmlFor="schedule-at">Apply at ({localTimeZone()})</Label>
                    <Input
                      id="schedule-at"
                      type="datetime-local"
                      step={1}
                      required
                      value={when}
                      aria-describedby="schedule-at-help"
                      onChange={(e) => setWhen(e.target.value)}
                    />
                    <p id="schedule-at-help" className="text-xs text-muted-foreground">
                      {runAt && !Number.isNaN(runAt.getTime())
                        ? `Stored as ${runAt.toISOString()} (UTC). `
                        : ''}
                      {isProtected
                        ? 'Opens a proposal; the change runs at that time once someone approves it.'
                        : 'The scheduler commits it then; if the flag changed meanwhile in the same fields, it fails and says why.'}
                    </p>
                  </div>
                )}
              </div>
            )}
            <FieldError id="review-error" message={error} />
            <DialogFooter>
              <Button
                type="submit"
                disabled={busy || (changes.length === 0 && !textChanged) || !message.trim()}
              >
                {when !== undefined
                  ? isProtected
                    ? 'Open proposal and schedule'
                    : 'Schedule'
                  : isProtected
                    ? 'Open proposal'
                    : 'Commit'}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}

'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import Link from 'next/link';
import { ScrollTextIcon } from 'lucide-react';
import { useEnvironments } from '@/components/environments/environment-list';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, Label, NativeSelect } from '@/components/ui/input';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { api, unwrap } from '@/lib/api/client';
import { formText } from '@/lib/forms';
import { NEEDS } from '@/lib/permissions';

const FILTERS = [
  'action',
  'actor',
  'environment',
  'since',
  'until',
  'targetType',
  'targetId',
] as const;
/** Filters given as a time: ISO in the URL and the API, local time in the form. */
const TIMES = new Set<string>(['since', 'until']);

/** `2026-12-06T04:05:00.000Z` → the `datetime-local` value in this browser's time zone. */
function localInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** A commit an event made (flag, segment and namespace edits record their environment and revision). */
function commitOf(after: unknown): { environment: string; revision: string } | null {
  if (typeof after !== 'object' || after === null) return null;
  const { environment, revision } = after as Record<string, unknown>;
  return typeof environment === 'string' && typeof revision === 'string'
    ? { environment, revision }
    : null;
}
type Filter = (typeof FILTERS)[number];

function summary(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

type Member = { userId: string; email: string };
type AuditEvent = {
  id: string;
  action: string;
  actor: { type: string; id: string; label: string | null };
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  time: string;
};

/** The filter row; submitting puts the filters in the URL. */
function AuditFilters({
  filters,
  members,
  environments,
  onApply,
  onClear,
}: {
  filters: Record<Filter, string>;
  members: Member[];
  environments: { key: string; name: string }[];
  onApply: (next: Record<Filter, string>) => void;
  onClear: () => void;
}) {
  return (
    <form
      className="mb-4 grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        onApply(
          Object.fromEntries(
            FILTERS.map((f) => {
              const v = formText(form, f);
              return [f, TIMES.has(f) && v ? new Date(v).toISOString() : v];
            }),
          ) as Record<Filter, string>,
        );
      }}
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-action">Action</Label>
        <Input
          id="audit-action"
          name="action"
          defaultValue={filters.action}
          placeholder="e.g. member.invite"
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-actor">Actor</Label>
        <NativeSelect id="audit-actor" name="actor" defaultValue={filters.actor}>
          <option value="">Anyone</option>
          {members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.email}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-environment">Environment</Label>
        <NativeSelect id="audit-environment" name="environment" defaultValue={filters.environment}>
          <option value="">Any</option>
          {environments.map((e) => (
            <option key={e.key} value={e.key}>
              {e.name} ({e.key})
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-since">From</Label>
        <Input
          id="audit-since"
          name="since"
          type="datetime-local"
          defaultValue={localInput(filters.since)}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-until">Until</Label>
        <Input
          id="audit-until"
          name="until"
          type="datetime-local"
          defaultValue={localInput(filters.until)}
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-target-type">Target type</Label>
        <Input
          id="audit-target-type"
          name="targetType"
          defaultValue={filters.targetType}
          placeholder="e.g. environment"
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="audit-target-id">Target ID</Label>
        <Input id="audit-target-id" name="targetId" defaultValue={filters.targetId} />
      </div>
      <div className="flex items-end gap-2">
        <Button type="submit">Filter</Button>
        <Button type="button" variant="ghost" onClick={onClear}>
          Clear
        </Button>
      </div>
    </form>
  );
}

/** `environment@sha7`, to the environment, for an event that made a commit. */
function CommitLink({ org, after }: { org: string; after: unknown }) {
  const commit = commitOf(after);
  if (!commit) return null;
  return (
    <Link
      href={`/orgs/${org}/environments/${commit.environment}`}
      className="mb-1 inline-block text-foreground underline underline-offset-4 hover:no-underline"
      data-commit={commit.revision}
      title={`commit ${commit.revision}`}
    >
      {commit.environment}@{commit.revision.slice(0, 7)}
    </Link>
  );
}

/** One page of events; clicking an action filters by it. */
function AuditTable({
  org,
  items,
  onAction,
}: {
  org: string;
  items: AuditEvent[];
  onAction: (action: string) => void;
}) {
  return (
    <Table aria-label="Audit events">
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Change</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((e) => (
          <TableRow key={e.id} data-action={e.action}>
            <TableCell className="whitespace-nowrap">
              <time dateTime={e.time}>{new Date(e.time).toLocaleString()}</time>
            </TableCell>
            <TableCell>{e.actor.label ?? `${e.actor.type} ${e.actor.id.slice(0, 8)}`}</TableCell>
            <TableCell>
              <button
                type="button"
                className="font-mono text-xs underline underline-offset-4 hover:no-underline"
                onClick={() => onAction(e.action)}
              >
                {e.action}
              </button>
            </TableCell>
            <TableCell className="text-xs">
              {e.target.type}{' '}
              <span className="font-mono text-muted-foreground">{e.target.id.slice(0, 12)}</span>
            </TableCell>
            <TableCell
              className="font-mono text-xs text-muted-foreground"
              title={JSON.stringify({ before: e.before, after: e.after })}
            >
              <CommitLink org={org} after={e.after} />
              <div className="max-w-72 truncate">{summary(e.after ?? e.before)}</div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** `/orgs/{org}/audit`: filters and the cursor live in the URL, so a view can be shared. */
export function AuditLog() {
  const org = useOrg();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const allowed = can(org.role, NEEDS.auditRead);
  const filters = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<
    Filter,
    string
  >;
  const cursor = params.get('cursor') ?? undefined;
  const members = useQuery({
    queryKey: ['orgs', org.slug, 'members', 'all'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/members', {
          params: { path: { org: org.slug }, query: { limit: 200 } },
        }),
      ),
    enabled: allowed,
  });
  const environments = useEnvironments(org.slug);
  const events = useQuery({
    queryKey: ['orgs', org.slug, 'audit', filters, cursor],
    queryFn: () => {
      const query = {
        limit: 50,
        ...(cursor ? { cursor } : {}),
        ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)),
      };
      return unwrap(
        api.GET('/api/v1/orgs/{org}/audit-events', { params: { path: { org: org.slug }, query } }),
      );
    },
    enabled: allowed,
    placeholderData: keepPreviousData,
  });
  const navigate = (next: Partial<Record<Filter | 'cursor', string>>) => {
    const q = new URLSearchParams();
    for (const f of FILTERS) {
      const v = f in next ? next[f] : filters[f];
      if (v) q.set(f, v);
    }
    if (next.cursor) q.set('cursor', next.cursor);
    router.push(`${pathname}${q.size ? `?${q.toString()}` : ''}`);
  };
  const header = (
    <PageHeader
      title="Audit log"
      description="Every change in this organisation: who, what, when, before and after."
    />
  );
  if (!allowed)
    return (
      <>
        {header}
        <EmptyState icon={ScrollTextIcon} title="Admins read the audit log">
          Your role is {org.role.toLowerCase()}.
        </EmptyState>
      </>
    );
  return (
    <>
      {header}
      <AuditFilters
        key={params.toString()}
        filters={filters}
        members={members.data?.items ?? []}
        environments={environments.data?.items ?? []}
        onApply={navigate}
        onClear={() => router.push(pathname)}
      />
      {events.isPending ? (
        <LoadingRows rows={5} label="Loading audit events" />
      ) : events.isError ? (
        <ErrorState error={events.error} retry={() => void events.refetch()} />
      ) : events.data.items.length === 0 ? (
        <EmptyState icon={ScrollTextIcon} title="No matching events">
          {FILTERS.some((f) => filters[f])
            ? 'Nothing matches these filters; clear them to see everything.'
            : 'Changes to this organisation will appear here.'}
        </EmptyState>
      ) : (
        <>
          <AuditTable
            org={org.slug}
            items={events.data.items}
            onAction={(action) => navigate({ action })}
          />
          <nav aria-label="Audit pages" className="mt-4 flex gap-2">
            {cursor && (
              <Button variant="outline" onClick={() => navigate({})}>
                Newest
              </Button>
            )}
            {events.data.nextCursor && (
              <Button
                variant="outline"
                onClick={() => navigate({ cursor: events.data.nextCursor ?? '' })}
              >
                Older
              </Button>
            )}
          </nav>
        </>
      )}
    </>
  );
}

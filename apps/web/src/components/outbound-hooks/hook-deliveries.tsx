'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { SendIcon, WebhookIcon } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { NEEDS } from '@/lib/permissions';
import { relativeTime } from '@/lib/utils';

type Status = 'PENDING' | 'SUCCEEDED' | 'FAILED';
const STATUS: Record<Status, { label: string; variant: 'outline' | 'success' | 'destructive' }> = {
  PENDING: { label: 'pending', variant: 'outline' },
  SUCCEEDED: { label: 'delivered', variant: 'success' },
  FAILED: { label: 'failed', variant: 'destructive' },
};

/** The body sent and the (truncated) response of one delivery, loaded when opened. */
function DeliveryDetail({ hookId, deliveryId }: { hookId: string; deliveryId: string }) {
  const org = useOrg();
  const detail = useQuery({
    queryKey: ['orgs', org.slug, 'outbound-webhooks', hookId, 'delivery', deliveryId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/outbound-webhooks/{hookId}/deliveries/{deliveryId}', {
          params: { path: { org: org.slug, hookId, deliveryId } },
        }),
      ),
  });
  if (detail.isPending) return <LoadingRows rows={1} label="Loading delivery" />;
  if (detail.isError) return <ErrorState error={detail.error} />;
  let pretty = detail.data.body;
  try {
    pretty = JSON.stringify(JSON.parse(detail.data.body), null, 2);
  } catch {
    // Shown as stored.
  }
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <section aria-label="Request body">
        <h3 className="mb-1 text-sm font-medium">Request body</h3>
        <pre tabIndex={0} className="max-h-80 overflow-auto rounded border bg-muted/40 p-2 text-xs">
          {pretty}
        </pre>
      </section>
      <section aria-label="Response">
        <h3 className="mb-1 text-sm font-medium">Response</h3>
        <pre tabIndex={0} className="max-h-80 overflow-auto rounded border bg-muted/40 p-2 text-xs">
          {detail.data.responseBody ?? detail.data.error ?? '(none yet)'}
        </pre>
      </section>
    </div>
  );
}

/** `/orgs/{org}/settings/webhooks/{id}`: one webhook's delivery log, test delivery, redelivery. */
export function HookDeliveries({ hookId }: { hookId: string }) {
  const org = useOrg();
  const queryClient = useQueryClient();
  const [openId, setOpenId] = useState<string>();
  const allowed = can(org.role, NEEDS.hooksWrite);
  const hook = useQuery({
    queryKey: ['orgs', org.slug, 'outbound-webhooks', hookId],
    enabled: allowed,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/outbound-webhooks/{hookId}', {
          params: { path: { org: org.slug, hookId } },
        }),
      ),
  });
  const deliveries = useQuery({
    queryKey: ['orgs', org.slug, 'outbound-webhooks', hookId, 'deliveries'],
    enabled: allowed,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/outbound-webhooks/{hookId}/deliveries', {
          params: { path: { org: org.slug, hookId }, query: { limit: 100 } },
        }),
      ),
    // While something is on its way (or retrying), the log follows it.
    refetchInterval: (q) =>
      q.state.data?.items.some((d) => d.status === 'PENDING') ? 1_500 : false,
  });
  const refresh = () =>
    queryClient.invalidateQueries({
      queryKey: ['orgs', org.slug, 'outbound-webhooks', hookId, 'deliveries'],
    });
  const act = async (what: 'test' | 'redeliver', deliveryId?: string) => {
    try {
      if (what === 'test')
        await unwrap(
          api.POST('/api/v1/orgs/{org}/outbound-webhooks/{hookId}/test', {
            params: { path: { org: org.slug, hookId } },
          }),
        );
      else
        await unwrap(
          api.POST(
            '/api/v1/orgs/{org}/outbound-webhooks/{hookId}/deliveries/{deliveryId}/redeliver',
            { params: { path: { org: org.slug, hookId, deliveryId: deliveryId! } } },
          ),
        );
      toast.success(what === 'test' ? 'Test delivery queued' : 'Redelivery queued');
      await refresh();
    } catch (e) {
      toast.error(describeError(e));
    }
  };
  const back = (
    <Link
      className="text-sm underline-offset-4 hover:underline"
      href={`/orgs/${org.slug}/settings/webhooks`}
    >
      ← All webhooks
    </Link>
  );
  if (!allowed)
    return (
      <EmptyState icon={WebhookIcon} title="Admins manage webhooks">
        Your role is {org.role.toLowerCase()}.
      </EmptyState>
    );
  if (hook.isError) return <ErrorState error={hook.error} retry={() => void hook.refetch()} />;
  const header = (
    <PageHeader
      title={hook.data ? `Webhook “${hook.data.name}”` : 'Webhook'}
      description={hook.data ? <code className="break-all">{hook.data.url}</code> : undefined}
      actions={
        <Button variant="outline" onClick={() => void act('test')} disabled={!hook.data?.enabled}>
          <SendIcon aria-hidden="true" /> Send test delivery
        </Button>
      }
    />
  );
  return (
    <>
      {back}
      {header}
      <h2 className="mb-2 text-lg font-semibold">Recent deliveries</h2>
      {deliveries.isPending ? (
        <LoadingRows label="Loading deliveries" />
      ) : deliveries.isError ? (
        <ErrorState error={deliveries.error} retry={() => void deliveries.refetch()} />
      ) : deliveries.data.items.length === 0 ? (
        <EmptyState icon={WebhookIcon} title="Nothing delivered yet">
          Deliveries appear here as events happen; send a test delivery to try the URL.
        </EmptyState>
      ) : (
        <Table aria-label="Deliveries">
          <TableHeader>
            <TableRow>
              <TableHead>Event</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Response</TableHead>
              <TableHead>Attempts</TableHead>
              <TableHead>Duration</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {deliveries.data.items.flatMap((d) => {
              const s = STATUS[d.status];
              const rows = [
                <TableRow key={d.id} data-delivery={d.eventType} data-status={d.status}>
                  <TableCell>
                    <code className="font-mono text-xs">{d.eventType}</code>
                  </TableCell>
                  <TableCell>
                    <Badge variant={s.variant}>{s.label}</Badge>
                  </TableCell>
                  <TableCell title={d.error ?? undefined}>
                    {d.responseStatus ?? (d.error ? 'no response' : '—')}
                  </TableCell>
                  <TableCell>{d.attempts}</TableCell>
                  <TableCell>{d.durationMs === null ? '—' : `${d.durationMs} ms`}</TableCell>
                  <TableCell>
                    <time dateTime={d.createdAt} title={new Date(d.createdAt).toLocaleString()}>
                      {relativeTime(d.createdAt)}
                    </time>
                  </TableCell>
                  <TableCell className="text-right">
                    <div className="flex justify-end gap-2">
                      <Button
                        variant="outline"
                        size="sm"
                        aria-expanded={openId === d.id}
                        onClick={() => setOpenId(openId === d.id ? undefined : d.id)}
                      >
                        {openId === d.id ? 'Hide' : 'Details'}
                      </Button>
                      <Button
                        variant="outline"
                        size="sm"
                        aria-label={`Redeliver ${d.eventType} ${d.eventId}`}
                        onClick={() => void act('redeliver', d.id)}
                      >
                        Redeliver
                      </Button>
                    </div>
                  </TableCell>
                </TableRow>,
              ];
              if (openId === d.id)
                rows.push(
                  <TableRow key={`${d.id}-detail`}>
                    <TableCell colSpan={7}>
                      <DeliveryDetail hookId={hookId} deliveryId={d.id} />
                    </TableCell>
                  </TableRow>,
                );
              return rows;
            })}
          </TableBody>
        </Table>
      )}
    </>
  );
}

'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { PlusIcon, WebhookIcon } from 'lucide-react';
import Link from 'next/link';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
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
import { HookFormDialog } from './hook-form-dialog';

/** `/orgs/{org}/settings/webhooks`: the organisation's outbound webhooks. */
export function HookList() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const allowed = can(org.role, NEEDS.hooksWrite);
  const hooks = useQuery({
    queryKey: ['orgs', org.slug, 'outbound-webhooks'],
    enabled: allowed,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/outbound-webhooks', {
          params: { path: { org: org.slug }, query: { limit: 200 } },
        }),
      ),
  });
  const remove = async (id: string, name: string) => {
    try {
      await unwrap(
        api.DELETE('/api/v1/orgs/{org}/outbound-webhooks/{hookId}', {
          params: { path: { org: org.slug, hookId: id } },
        }),
      );
      toast.success(`Webhook “${name}” deleted`);
      await queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'outbound-webhooks'] });
    } catch (e) {
      toast.error(describeError(e));
    }
  };
  const header = (
    <PageHeader
      title="Webhooks"
      description="Signed JSON notifications of commits, proposals, promotions, schedules and tokens, sent to your URLs."
      actions={
        allowed ? (
          <HookFormDialog
            trigger={
              <Button>
                <PlusIcon aria-hidden="true" /> New webhook
              </Button>
            }
          />
        ) : undefined
      }
    />
  );
  if (!allowed)
    return (
      <>
        {header}
        <EmptyState icon={WebhookIcon} title="Admins manage webhooks">
          Your role is {org.role.toLowerCase()}. Ask an admin to add a webhook.
        </EmptyState>
      </>
    );
  if (hooks.isPending)
    return (
      <>
        {header}
        <LoadingRows label="Loading webhooks" />
      </>
    );
  if (hooks.isError)
    return (
      <>
        {header}
        <ErrorState error={hooks.error} retry={() => void hooks.refetch()} />
      </>
    );
  const items = hooks.data.items;
  if (items.length === 0)
    return (
      <>
        {header}
        <EmptyState icon={WebhookIcon} title="No webhooks yet">
          Add one to tell your chat, CI or audit pipeline about every change.
        </EmptyState>
      </>
    );
  return (
    <>
      {header}
      <Table aria-label="Webhooks">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>URL</TableHead>
            <TableHead>Events</TableHead>
            <TableHead>State</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((h) => (
            <TableRow key={h.id} data-hook={h.name}>
              <TableCell className="font-medium">
                <Link
                  className="underline-offset-4 hover:underline"
                  href={`/orgs/${org.slug}/settings/webhooks/${h.id}`}
                >
                  {h.name}
                </Link>
              </TableCell>
              <TableCell>
                <code className="break-all font-mono text-xs">{h.url}</code>
              </TableCell>
              <TableCell>
                <div className="flex flex-wrap gap-1">
                  {h.events.map((e) => (
                    <Badge key={e} variant="outline">
                      {e}
                    </Badge>
                  ))}
                </div>
              </TableCell>
              <TableCell>
                {h.enabled ? (
                  <Badge variant="secondary">active</Badge>
                ) : (
                  <Badge variant="outline">paused</Badge>
                )}
              </TableCell>
              <TableCell className="text-right">
                <div className="flex justify-end gap-2">
                  <HookFormDialog
                    hook={h}
                    trigger={
                      <Button variant="outline" size="sm" aria-label={`Edit ${h.name}`}>
                        Edit
                      </Button>
                    }
                  />
                  <ConfirmDialog
                    trigger={
                      <Button variant="outline" size="sm" aria-label={`Delete ${h.name}`}>
                        Delete
                      </Button>
                    }
                    title={`Delete “${h.name}”?`}
                    description="Nothing more is sent to it, and its delivery log is deleted with it."
                    confirmLabel="Delete webhook"
                    onConfirm={() => remove(h.id, h.name)}
                  />
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

'use client';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRoundIcon } from 'lucide-react';
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
import { relativeTime } from '@/lib/utils';
import { CreateTokenDialog } from './create-token-dialog';

function When({ iso, never = 'never' }: { iso: string | null; never?: string }) {
  if (!iso) return <span className="text-muted-foreground">{never}</span>;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()}>
      {relativeTime(iso)}
    </time>
  );
}

/** `/orgs/{org}/tokens`: client tokens with scope, last use, revoke. */
export function TokenList() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const canWrite = can(org.role, NEEDS.tokensWrite);
  const tokens = useInfiniteQuery({
    queryKey: ['orgs', org.slug, 'client-tokens'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/client-tokens', {
          params: {
            path: { org: org.slug },
            query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const revoke = async (id: string, name: string) => {
    try {
      await unwrap(
        api.POST('/api/v1/orgs/{org}/client-tokens/{tokenId}/revoke', {
          params: { path: { org: org.slug, tokenId: id } },
        }),
      );
      toast.success(`Token “${name}” revoked`);
      await queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'client-tokens'] });
    } catch (e) {
      toast.error(describeError(e));
    }
  };
  const header = (
    <PageHeader
      title="Client tokens"
      description="Bearer tokens your SDKs use to evaluate flags, scoped to environments and namespaces."
      actions={canWrite ? <CreateTokenDialog /> : undefined}
    />
  );
  if (!can(org.role, NEEDS.tokensRead)) {
    return (
      <>
        {header}
        <EmptyState icon={KeyRoundIcon} title="Editors and above see client tokens">
          Your role is {org.role.toLowerCase()}. Ask an admin for a token if your service needs one.
        </EmptyState>
      </>
    );
  }
  if (tokens.isPending)
    return (
      <>
        {header}
        <LoadingRows label="Loading tokens" />
      </>
    );
  if (tokens.isError)
    return (
      <>
        {header}
        <ErrorState error={tokens.error} retry={() => void tokens.refetch()} />
      </>
    );
  const items = tokens.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <>
        {header}
        <EmptyState icon={KeyRoundIcon} title="No client tokens yet">
          {canWrite
            ? 'Create one for each service or app that evaluates flags; each can be revoked on its own.'
            : 'An admin creates tokens for the services that evaluate flags.'}
        </EmptyState>
      </>
    );
  }
  return (
    <>
      {header}
      <Table aria-label="Client tokens">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Token</TableHead>
            <TableHead>Scope</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((t) => (
            <TableRow key={t.id} data-token={t.name}>
              <TableCell className="font-medium">{t.name}</TableCell>
              <TableCell>
                <code className="font-mono text-xs">{t.prefix}…</code>
              </TableCell>
              <TableCell>
                <div className="flex flex-wrap gap-1">
                  {t.environments.map((e) => (
                    <Badge key={e} variant="outline">
                      {e}
                    </Badge>
                  ))}
                  <span className="text-xs text-muted-foreground">
                    {t.namespaces.length ? `ns: ${t.namespaces.join(', ')}` : 'all namespaces'}
                  </span>
                </div>
              </TableCell>
              <TableCell>
                <When iso={t.lastUsedAt} />
              </TableCell>
              <TableCell>
                <When iso={t.createdAt} />
              </TableCell>
              <TableCell className="text-right">
                {t.revokedAt ? (
                  <Badge variant="destructive">revoked</Badge>
                ) : canWrite ? (
                  <ConfirmDialog
                    trigger={
                      <Button variant="outline" size="sm" aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </Button>
                    }
                    title={`Revoke “${t.name}”?`}
                    description="SDKs using it are refused within seconds. This cannot be undone."
                    confirmLabel="Revoke token"
                    onConfirm={() => revoke(t.id, t.name)}
                  />
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {tokens.hasNextPage && (
        <Button
          variant="outline"
          className="mt-4"
          onClick={() => void tokens.fetchNextPage()}
          disabled={tokens.isFetchingNextPage}
        >
          Load more
        </Button>
      )}
    </>
  );
}

'use client';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { InfoIcon, UsersIcon } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { can, useOrg, type Role } from '@/components/org-context';
import { useSession } from '@/components/session';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/input';
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
import { InviteDialog } from './invite-dialog';
import { ROLES } from './roles';

const label = (r: string) => r.charAt(0) + r.slice(1).toLowerCase();

type Member = { userId: string; email: string; name: string | null; role: Role };

/** One member: role selector and remove button when the caller may manage them. */
function MemberRow({
  member: m,
  isYou,
  lastOwner,
  manageable,
  act,
}: {
  member: Member;
  isYou: boolean;
  lastOwner: boolean;
  manageable: boolean;
  act: (call: Promise<unknown>, success: string) => Promise<void>;
}) {
  const org = useOrg();
  return (
    <TableRow data-member={m.email}>
      <TableCell>
        <div className="font-medium">{m.name ?? m.email}</div>
        <div className="text-xs text-muted-foreground">
          {m.email} {isYou && <Badge variant="secondary">you</Badge>}
        </div>
      </TableCell>
      <TableCell>
        {manageable && !lastOwner ? (
          <NativeSelect
            aria-label={`Role of ${m.email}`}
            className="w-36"
            value={m.role}
            onChange={(e) =>
              void act(
                unwrap(
                  api.PATCH('/api/v1/orgs/{org}/members/{userId}', {
                    params: { path: { org: org.slug, userId: m.userId } },
                    body: { role: e.target.value as Role },
                  }),
                ),
                `${m.email} is now ${e.target.value.toLowerCase()}`,
              )
            }
          >
            {ROLES.filter((r) => r !== 'OWNER' || org.role === 'OWNER').map((r) => (
              <option key={r} value={r}>
                {label(r)}
              </option>
            ))}
          </NativeSelect>
        ) : (
          <span title={lastOwner ? 'The last owner cannot be demoted' : undefined}>
            {label(m.role)}
          </span>
        )}
      </TableCell>
      <TableCell className="text-right">
        {manageable && !lastOwner && !isYou && (
          <ConfirmDialog
            trigger={
              <Button variant="outline" size="sm" aria-label={`Remove ${m.email}`}>
                Remove
              </Button>
            }
            title={`Remove ${m.email}?`}
            description="They lose access to this organisation at once. You can invite them again later."
            confirmLabel="Remove member"
            onConfirm={() =>
              act(
                unwrap(
                  api.DELETE('/api/v1/orgs/{org}/members/{userId}', {
                    params: { path: { org: org.slug, userId: m.userId } },
                  }),
                ),
                `${m.email} removed`,
              )
            }
          />
        )}
      </TableCell>
    </TableRow>
  );
}

/** `/orgs/{org}/members`: list, invite, change role, remove; the last-owner rule explained. */
export function MemberList() {
  const org = useOrg();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const canWrite = can(org.role, NEEDS.membersWrite);
  const key = ['orgs', org.slug, 'members'];
  const members = useInfiniteQuery({
    queryKey: key,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/members', {
          params: {
            path: { org: org.slug },
            query: { limit: 100, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const act = async (call: Promise<unknown>, success: string) => {
    try {
      await call;
      toast.success(success);
    } catch (e) {
      toast.error(describeError(e));
    } finally {
      await queryClient.invalidateQueries({ queryKey: key });
    }
  };
  const header = (
    <PageHeader
      title="Members"
      description="Who can use this organisation, and with which role."
      actions={canWrite ? <InviteDialog /> : undefined}
    />
  );
  if (members.isPending)
    return (
      <>
        {header}
        <LoadingRows label="Loading members" />
      </>
    );
  if (members.isError)
    return (
      <>
        {header}
        <ErrorState error={members.error} retry={() => void members.refetch()} />
      </>
    );
  const items = members.data.pages.flatMap((p) => p.items);
  if (items.length === 0)
    return (
      <>
        {header}
        <EmptyState icon={UsersIcon} title="No members">
          Invite people by e-mail.
        </EmptyState>
      </>
    );
  const owners = items.filter((m) => m.role === 'OWNER').length;
  // Only owners manage owners; the control plane refuses anything else and says why.
  const manageable = (role: Role) => canWrite && (role !== 'OWNER' || org.role === 'OWNER');
  return (
    <>
      {header}
      {owners === 1 && (
        <p className="mb-4 flex items-center gap-2 text-sm text-muted-foreground">
          <InfoIcon className="size-4" aria-hidden="true" /> An organisation always keeps at least
          one owner: promote someone else before the last owner leaves or is demoted.
        </p>
      )}
      <Table aria-label="Members">
        <TableHeader>
          <TableRow>
            <TableHead>Member</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {items.map((m) => (
            <MemberRow
              key={m.userId}
              member={m}
              isYou={m.userId === user.id}
              lastOwner={m.role === 'OWNER' && owners === 1}
              manageable={manageable(m.role)}
              act={act}
            />
          ))}
        </TableBody>
      </Table>
      {members.hasNextPage && (
        <Button
          variant="outline"
          className="mt-4"
          onClick={() => void members.fetchNextPage()}
          disabled={members.isFetchingNextPage}
        >
          Load more
        </Button>
      )}
    </>
  );
}

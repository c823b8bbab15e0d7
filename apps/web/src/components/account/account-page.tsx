'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { ChevronLeftIcon, LinkIcon, LogOutIcon } from 'lucide-react';
import { Suspense, useState } from 'react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-button';
import { useSession } from '@/components/session';
import { ErrorState, FormError, LoadingRows, PageHeader } from '@/components/states';
import { ThemeToggle } from '@/components/theme-toggle';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { Input, Label } from '@/components/ui/input';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { signOut } from '@/components/user-menu';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { formText, idempotencyKey } from '@/lib/forms';
import { isConnectionId, linkHref } from '@/lib/login-messages';
import { describeUserAgent } from '@/lib/user-agent';
import { relativeTime } from '@/lib/utils';

function PersonalTokens() {
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<string>();
  const tokens = useQuery({
    queryKey: ['me', 'tokens'],
    queryFn: () => unwrap(api.GET('/api/v1/me/tokens', { params: { query: { limit: 200 } } })),
  });
  const create = async (name: string) => {
    setError(undefined);
    try {
      const created = await unwrap(
        api.POST('/api/v1/me/tokens', {
          body: { name },
          headers: { 'idempotency-key': idempotencyKey() },
        }),
      );
      setSecret(created.token);
      await queryClient.invalidateQueries({ queryKey: ['me', 'tokens'] });
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <Card>
      <CardHeader>
        <h2 className="font-semibold">Personal access tokens</h2>
        <CardDescription>
          For scripts and CI calling the API as you (with your roles).
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const name = formText(e.currentTarget, 'name');
            if (!name) return setError('Give the token a name.');
            void create(name);
            e.currentTarget.reset();
          }}
        >
          <div className="flex flex-1 flex-col gap-1.5">
            <Label htmlFor="pat-name">New token name</Label>
            <Input id="pat-name" name="name" placeholder="e.g. deploy script" />
          </div>
          <Button type="submit">Create</Button>
        </form>
        <FormError message={error} />
        {secret && (
          <div className="flex flex-col gap-1" role="status">
            <p className="text-sm font-medium">Copy it now: it is shown only once.</p>
            <CopyField value={secret} label="personal access token" />
          </div>
        )}
        {tokens.isPending ? (
          <LoadingRows rows={2} label="Loading tokens" />
        ) : tokens.isError ? (
          <ErrorState error={tokens.error} retry={() => void tokens.refetch()} />
        ) : tokens.data.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">No personal access tokens.</p>
        ) : (
          <Table aria-label="Personal access tokens">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Token</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tokens.data.items.map((t) => (
                <TableRow key={t.id}>
                  <TableCell className="font-medium">{t.name}</TableCell>
                  <TableCell>
                    <code className="font-mono text-xs">{t.prefix}…</code>
                  </TableCell>
                  <TableCell>{t.lastUsedAt ? relativeTime(t.lastUsedAt) : 'never'}</TableCell>
                  <TableCell className="text-right">
                    <ConfirmDialog
                      trigger={
                        <Button variant="outline" size="sm" aria-label={`Revoke ${t.name}`}>
                          Revoke
                        </Button>
                      }
                      title={`Revoke “${t.name}”?`}
                      description="Scripts using it stop working at once."
                      confirmLabel="Revoke token"
                      onConfirm={() =>
                        unwrap(
                          api.DELETE('/api/v1/me/tokens/{tokenId}', {
                            params: { path: { tokenId: t.id } },
                          }),
                        ).then(
                          () => void queryClient.invalidateQueries({ queryKey: ['me', 'tokens'] }),
                          (e: unknown) => void toast.error(describeError(e)),
                        )
                      }
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

/** The signed-in sessions of the account: the current one marked (ending it signs out); revoke others. */
function Sessions() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ['me', 'sessions'],
    queryFn: () => unwrap(api.GET('/api/v1/me/sessions')),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['me', 'sessions'] });
  return (
    <Card>
      <CardHeader>
        <h2 className="font-semibold">Sessions</h2>
        <CardDescription>
          Browsers signed in to your account. Revoke one you do not recognise: it is signed out at
          its next request.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {sessions.isPending ? (
          <LoadingRows rows={2} label="Loading sessions" />
        ) : sessions.isError ? (
          <ErrorState error={sessions.error} retry={() => void sessions.refetch()} />
        ) : sessions.data.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No browser session: you are using a personal access token.
          </p>
        ) : (
          <Table aria-label="Sessions">
            <TableHeader>
              <TableRow>
                <TableHead>Device</TableHead>
                <TableHead>Signed in</TableHead>
                <TableHead>Last active</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {sessions.data.items.map((s) => {
                const device = describeUserAgent(s.userAgent) ?? 'Unknown browser';
                return (
                  <TableRow key={s.id} data-session-id={s.id} data-current={s.current || undefined}>
                    <TableCell>
                      <div className="flex flex-col gap-0.5">
                        <span className="font-medium">
                          {device} {s.current && <Badge variant="success">this browser</Badge>}
                        </span>
                        <span className="text-xs text-muted-foreground">
                          {[s.ip, s.signedInWith ? `via ${s.signedInWith.name}` : null]
                            .filter(Boolean)
                            .join(' · ') || '—'}
                        </span>
                      </div>
                    </TableCell>
                    <TableCell title={s.createdAt}>{relativeTime(s.createdAt)}</TableCell>
                    <TableCell title={s.lastSeenAt}>{relativeTime(s.lastSeenAt)}</TableCell>
                    <TableCell className="text-right">
                      {s.current ? (
                        <Button variant="outline" size="sm" onClick={() => void signOut()}>
                          Sign out
                        </Button>
                      ) : (
                        <ConfirmDialog
                          trigger={
                            <Button
                              variant="outline"
                              size="sm"
                              aria-label={`Revoke session ${device} signed in ${relativeTime(s.createdAt)}`}
                            >
                              Revoke
                            </Button>
                          }
                          title="Revoke this session?"
                          description={`${device}${s.ip ? ` (${s.ip})` : ''} is signed out at its next request.`}
                          confirmLabel="Revoke session"
                          onConfirm={() =>
                            unwrap(
                              api.DELETE('/api/v1/me/sessions/{sessionId}', {
                                params: { path: { sessionId: s.id } },
                              }),
                            ).then(
                              () => {
                                toast.success('Session revoked');
                                refresh();
                              },
                              (e: unknown) => void toast.error(describeError(e)),
                            )
                          }
                        />
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * `/account?link=<connection>`: after "you already have an account with this e-mail", the user
 * signed in the usual way and now links the other sign-in method to this account.
 */
function LinkSignIn() {
  const { csrfToken } = useSession();
  const connection = useSearchParams().get('link');
  if (!connection || !isConnectionId(connection) || !csrfToken) return null;
  return (
    <Card data-testid="link-sign-in">
      <CardHeader>
        <h2 className="font-semibold">Link a sign-in method</h2>
        <CardDescription>
          Your organisation’s SSO found this account by its e-mail address. Link it to sign in
          either way from now on; you will confirm at your identity provider.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex gap-2">
        <Button asChild>
          <a href={linkHref(connection, csrfToken)}>
            <LinkIcon aria-hidden="true" /> Link this sign-in method
          </a>
        </Button>
        <Button asChild variant="outline">
          <Link href="/account">Not now</Link>
        </Button>
      </CardContent>
    </Card>
  );
}

/** `/account`: profile, personal access tokens, sessions, sign out. */
export function AccountPage() {
  const { user } = useSession();
  return (
    <main id="main" className="mx-auto flex w-full max-w-3xl flex-col gap-6 p-6">
      <div className="flex items-center justify-between">
        <Link
          href="/"
          className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
        >
          <ChevronLeftIcon className="size-4" aria-hidden="true" /> Back to the console
        </Link>
        <ThemeToggle />
      </div>
      <PageHeader
        title="Account"
        actions={
          <Button variant="outline" onClick={() => void signOut()}>
            <LogOutIcon aria-hidden="true" /> Sign out
          </Button>
        }
      />
      <Suspense>
        <LinkSignIn />
      </Suspense>
      <Card>
        <CardHeader>
          <h2 className="font-semibold">Profile</h2>
          <CardDescription>From your identity provider.</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-muted-foreground">Name</dt>
            <dd>{user.name ?? '—'}</dd>
            <dt className="text-muted-foreground">E-mail</dt>
            <dd>{user.email}</dd>
          </dl>
        </CardContent>
      </Card>
      <PersonalTokens />
      <Sessions />
    </main>
  );
}

'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { PencilIcon, PlusIcon, ShieldCheckIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-button';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { NEEDS } from '@/lib/permissions';
import { KINDS, SsoForm, toBody, type SsoFormValues } from './sso-form';

type Connection = Awaited<ReturnType<typeof listConnections>>['items'][number];
const listConnections = (org: string) =>
  unwrap(api.GET('/api/v1/orgs/{org}/sso-connections', { params: { path: { org } } }));

const EMPTY: SsoFormValues = {
  kind: 'OKTA',
  name: '',
  issuer: '',
  domain: '',
  clientId: '',
  clientSecret: '',
  allowedDomains: '',
  claim: '',
  mapping: [],
  requireMatch: false,
  defaultRole: 'VIEWER',
  auth0Organization: '',
  enforce: false,
};

function toValues(c: Connection): SsoFormValues {
  return {
    kind: c.kind,
    name: c.name,
    issuer: c.issuer,
    domain: '',
    clientId: c.clientId,
    clientSecret: '',
    allowedDomains: c.allowedDomains.join(', '),
    claim: c.roleMapping.claim,
    mapping: Object.entries(c.roleMapping.values).map(([value, role]) => ({ value, role })),
    requireMatch: c.roleMapping.requireMatch,
    defaultRole: c.defaultRole === 'OWNER' ? 'ADMIN' : c.defaultRole,
    auth0Organization: c.auth0Organization ?? '',
    enforce: c.enforce,
  };
}

/** `/orgs/{org}/settings/sso`: the organisation's own identity providers. */
export function SsoList() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Connection | 'new' | null>(null);
  const allowed = can(org.role, NEEDS.orgWrite);
  const connections = useQuery({
    queryKey: ['orgs', org.slug, 'sso'],
    queryFn: () => listConnections(org.slug),
    enabled: allowed,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'sso'] });
  const save = async (v: SsoFormValues) => {
    if (editing === 'new') {
      await unwrap(
        api.POST('/api/v1/orgs/{org}/sso-connections', {
          params: { path: { org: org.slug } },
          body: { kind: v.kind, ...toBody(v, false), clientSecret: v.clientSecret },
        }),
      );
      toast.success(`Connection “${v.name}” created: discovery succeeded`);
    } else if (editing) {
      await unwrap(
        api.PATCH('/api/v1/orgs/{org}/sso-connections/{connectionId}', {
          params: { path: { org: org.slug, connectionId: editing.id } },
          body: toBody(v, true),
        }),
      );
      toast.success(`Connection “${v.name}” saved`);
    }
    setEditing(null);
    await refresh();
  };
  const header = (
    <PageHeader
      title="Single sign-on"
      description="Let your members sign in through your own identity provider, with roles from its groups."
      actions={
        allowed ? (
          <Button onClick={() => setEditing('new')}>
            <PlusIcon aria-hidden="true" /> New connection
          </Button>
        ) : undefined
      }
    />
  );
  let body;
  if (!allowed)
    body = (
      <EmptyState icon={ShieldCheckIcon} title="Admins manage single sign-on">
        Your role is {org.role.toLowerCase()}.
      </EmptyState>
    );
  else if (connections.isPending) body = <LoadingRows label="Loading connections" />;
  else if (connections.isError)
    body = <ErrorState error={connections.error} retry={() => void connections.refetch()} />;
  else if (connections.data.items.length === 0)
    body = (
      <EmptyState icon={ShieldCheckIcon} title="No SSO connection yet">
        Add Google Workspace, Okta, Auth0 or any OpenID Connect provider. Register the callback URL
        shown after saving at your provider.
      </EmptyState>
    );
  else
    body = (
      <ul className="flex flex-col gap-4" aria-label="SSO connections">
        {connections.data.items.map((c) => (
          <li key={c.id}>
            <Card>
              <CardHeader className="flex-row items-start justify-between">
                <div className="flex flex-col gap-1">
                  <h2 className="font-semibold">{c.name}</h2>
                  <p className="text-sm text-muted-foreground">
                    {KINDS[c.kind]} · {c.issuer}
                  </p>
                  <div className="flex flex-wrap gap-1">
                    {c.enforce && <Badge variant="warning">enforced</Badge>}
                    {!c.enabled && <Badge variant="destructive">turned off</Badge>}
                    <Badge variant="outline">default role: {c.defaultRole.toLowerCase()}</Badge>
                    {c.allowedDomains.map((d) => (
                      <Badge key={d} variant="secondary">
                        {d}
                      </Badge>
                    ))}
                  </div>
                </div>
                <div className="flex gap-2">
                  <Button
                    variant="outline"
                    size="sm"
                    aria-label={`${c.enabled ? 'Turn off' : 'Turn on'} ${c.name}`}
                    title={
                      c.enforce && c.enabled
                        ? 'An enforced connection cannot be turned off: turn enforcement off first'
                        : undefined
                    }
                    onClick={() =>
                      void unwrap(
                        api.PATCH('/api/v1/orgs/{org}/sso-connections/{connectionId}', {
                          params: { path: { org: org.slug, connectionId: c.id } },
                          body: { enabled: !c.enabled },
                        }),
                      ).then(
                        () => {
                          toast.success(
                            c.enabled
                              ? `“${c.name}” turned off: it starts no new sign-in`
                              : `“${c.name}” turned on`,
                          );
                          void refresh();
                        },
                        (e: unknown) => void toast.error(describeError(e)),
                      )
                    }
                  >
                    {c.enabled ? 'Turn off' : 'Turn on'}
                  </Button>
                  <Button
                    variant="outline"
                    size="sm"
                    onClick={() => setEditing(c)}
                    aria-label={`Edit ${c.name}`}
                  >
                    <PencilIcon aria-hidden="true" /> Edit
                  </Button>
                  <ConfirmDialog
                    trigger={
                      <Button variant="outline" size="sm" aria-label={`Delete ${c.name}`}>
                        Delete
                      </Button>
                    }
                    title={`Delete “${c.name}”?`}
                    description="Members who sign in through it must use another way in."
                    confirmLabel="Delete connection"
                    onConfirm={() =>
                      unwrap(
                        api.DELETE('/api/v1/orgs/{org}/sso-connections/{connectionId}', {
                          params: { path: { org: org.slug, connectionId: c.id } },
                        }),
                      ).then(
                        () => void refresh(),
                        (e: unknown) => void toast.error(describeError(e)),
                      )
                    }
                  />
                </div>
              </CardHeader>
              <CardContent className="grid gap-3 md:grid-cols-2">
                <div className="flex flex-col gap-1">
                  <span className="text-xs font-medium text-muted-foreground">
                    Callback URL (register it at the provider)
                  </span>
                  <CopyField value={c.callbackUrl} label={`${c.name} callback URL`} />
                </div>
                <div className="flex flex-col gap-1">
                  <span className="text-xs font-medium text-muted-foreground">
                    Sign-in link for your members
                  </span>
                  <CopyField
                    value={
                      typeof window === 'undefined'
                        ? `/login?connection=${c.id}`
                        : `${window.location.origin}/login?connection=${c.id}`
                    }
                    label={`${c.name} sign-in link`}
                  />
                </div>
              </CardContent>
            </Card>
          </li>
        ))}
      </ul>
    );
  return (
    <>
      {header}
      {body}
      <Dialog open={editing !== null} onOpenChange={(o) => !o && setEditing(null)}>
        <DialogContent className="max-w-2xl">
          <DialogHeader>
            <DialogTitle>
              {editing === 'new' ? 'New SSO connection' : 'Edit SSO connection'}
            </DialogTitle>
            <DialogDescription>
              Saving runs OpenID discovery against the issuer; a provider that does not answer
              correctly is refused with the reason.
            </DialogDescription>
          </DialogHeader>
          {editing && (
            <SsoForm
              key={editing === 'new' ? 'new' : editing.id}
              initial={editing === 'new' ? EMPTY : toValues(editing)}
              editing={editing !== 'new'}
              onSubmit={save}
            />
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}

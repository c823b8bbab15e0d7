'use client';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { GitBranchIcon, PlusIcon, WebhookIcon } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-button';
import { Field, fieldProps } from '@/components/field';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, FormError, LoadingRows, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { applyApiError, idempotencyKey } from '@/lib/forms';
import { nameSchema } from '@/lib/schemas';
import { NEEDS } from '@/lib/permissions';

const schema = z.object({
  name: nameSchema,
  url: z.string().trim().min(1, 'Required.'),
  username: z.string().trim(),
  secret: z.string(),
});
type Values = z.infer<typeof schema>;

function ConnectDialog() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, setError, reset, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', url: '', username: '', secret: '' },
  });
  const { errors, isSubmitting } = formState;
  const onSubmit = handleSubmit(async (v) => {
    setFormError(undefined);
    try {
      const credential = v.secret
        ? { secret: v.secret, ...(v.username ? { username: v.username } : {}) }
        : undefined;
      await unwrap(
        api.POST('/api/v1/orgs/{org}/repositories', {
          params: { path: { org: org.slug } },
          body: { name: v.name, url: v.url, ...(credential ? { credential } : {}) },
          headers: { 'idempotency-key': idempotencyKey() },
        }),
      );
      toast.success(`Repository ${v.name} connected`);
      await queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'repositories'] });
      setOpen(false);
      reset();
    } catch (e) {
      setFormError(applyApiError(e, setError, ['name', 'url', 'credential']));
    }
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          reset();
          setFormError(undefined);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" /> Connect repository
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Connect a git repository</DialogTitle>
          <DialogDescription>
            An HTTPS remote, such as an existing Flipt repository. Environments then read a branch
            and directory of it.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" noValidate>
          <FormError message={formError} />
          <Field id="repo-name" label="Name" error={errors.name?.message}>
            <Input {...fieldProps('repo-name', errors.name?.message)} {...register('name')} />
          </Field>
          <Field
            id="repo-url"
            label="Remote URL"
            help="https://github.com/acme/flags.git (no credentials in the URL)."
            error={errors.url?.message}
          >
            <Input
              {...fieldProps('repo-url', errors.url?.message, true)}
              {...register('url')}
              spellCheck={false}
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="repo-username" label="Username (optional)">
              <Input id="repo-username" {...register('username')} autoComplete="off" />
            </Field>
            <Field
              id="repo-secret"
              label="Token or password (optional)"
              help="Stored encrypted; never shown again."
            >
              <Input
                id="repo-secret"
                type="password"
                aria-describedby="repo-secret-help"
                {...register('secret')}
                autoComplete="new-password"
              />
            </Field>
          </div>
          <DialogFooter>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? 'Connecting…' : 'Connect'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function Webhook({ repositoryId }: { repositoryId: string }) {
  const org = useOrg();
  const [show, setShow] = useState(false);
  const hook = useQuery({
    queryKey: ['orgs', org.slug, 'repositories', repositoryId, 'webhook'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/repositories/{repositoryId}/webhook', {
          params: { path: { org: org.slug, repositoryId } },
        }),
      ),
    enabled: show,
  });
  if (!show)
    return (
      <Button variant="outline" size="sm" onClick={() => setShow(true)}>
        <WebhookIcon aria-hidden="true" /> Show webhook settings
      </Button>
    );
  if (hook.isPending) return <LoadingRows rows={1} label="Loading webhook" />;
  if (hook.isError) return <ErrorState error={hook.error} />;
  const origin = window.location.origin;
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <div className="flex flex-col gap-1">
        <span className="text-xs font-medium text-muted-foreground">
          GitHub payload URL (content type application/json)
        </span>
        <CopyField value={`${origin}${hook.data.github.path}`} label="GitHub webhook URL" />
        <span className="text-xs font-medium text-muted-foreground">GitHub secret</span>
        <CopyField value={hook.data.github.secret} label="GitHub webhook secret" />
      </div>
      <div className="flex flex-col gap-1">
        <span className="text-xs font-medium text-muted-foreground">GitLab URL</span>
        <CopyField value={`${origin}${hook.data.gitlab.path}`} label="GitLab webhook URL" />
        <span className="text-xs font-medium text-muted-foreground">GitLab secret token</span>
        <CopyField value={hook.data.gitlab.token} label="GitLab secret token" />
      </div>
    </div>
  );
}

/** `/orgs/{org}/repositories`: external git remotes and their push webhooks. */
export function RepositoryList() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const canWrite = can(org.role, NEEDS.repositoriesWrite);
  const repos = useQuery({
    queryKey: ['orgs', org.slug, 'repositories'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/repositories', {
          params: { path: { org: org.slug }, query: { limit: 200 } },
        }),
      ),
  });
  const header = (
    <PageHeader
      title="Repositories"
      description="External git repositories your environments can read flags from."
      actions={canWrite ? <ConnectDialog /> : undefined}
    />
  );
  if (repos.isPending)
    return (
      <>
        {header}
        <LoadingRows label="Loading repositories" />
      </>
    );
  if (repos.isError)
    return (
      <>
        {header}
        <ErrorState error={repos.error} retry={() => void repos.refetch()} />
      </>
    );
  if (repos.data.items.length === 0)
    return (
      <>
        {header}
        <EmptyState icon={GitBranchIcon} title="No external repository">
          Environments are hosted by Switchyard unless you connect your own repository (GitHub,
          GitLab or any HTTPS git server).
        </EmptyState>
      </>
    );
  return (
    <>
      {header}
      <ul className="flex flex-col gap-4" aria-label="Repositories">
        {repos.data.items.map((r) => (
          <li key={r.id}>
            <Card>
              <CardHeader className="flex-row items-start justify-between">
                <div>
                  <h2 className="font-semibold">{r.name}</h2>
                  <p className="font-mono text-sm text-muted-foreground">{r.url}</p>
                  <p className="text-xs text-muted-foreground">
                    {r.credential
                      ? `credential stored${r.credential.username ? ` for ${r.credential.username}` : ''}`
                      : 'no credential (public)'}
                  </p>
                </div>
                {canWrite && (
                  <ConfirmDialog
                    trigger={
                      <Button variant="outline" size="sm" aria-label={`Delete ${r.name}`}>
                        Delete
                      </Button>
                    }
                    title={`Delete ${r.name}?`}
                    description="Its stored credential is deleted too. Environments that use it must be moved first."
                    confirmLabel="Delete repository"
                    onConfirm={() =>
                      unwrap(
                        api.DELETE('/api/v1/orgs/{org}/repositories/{repositoryId}', {
                          params: { path: { org: org.slug, repositoryId: r.id } },
                        }),
                      ).then(
                        () =>
                          void queryClient.invalidateQueries({
                            queryKey: ['orgs', org.slug, 'repositories'],
                          }),
                        (e: unknown) => void toast.error(describeError(e)),
                      )
                    }
                  />
                )}
              </CardHeader>
              {canWrite && (
                <CardContent>
                  <Webhook repositoryId={r.id} />
                </CardContent>
              )}
            </Card>
          </li>
        ))}
      </ul>
    </>
  );
}

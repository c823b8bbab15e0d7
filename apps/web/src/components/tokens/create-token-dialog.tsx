'use client';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { PlusIcon, TriangleAlertIcon } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { CopyField } from '@/components/copy-button';
import { useEnvironments } from '@/components/environments/environment-list';
import { Field, fieldProps } from '@/components/field';
import { useOrg } from '@/components/org-context';
import { FieldError, FormError } from '@/components/states';
import { Button } from '@/components/ui/button';
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
import { applyApiError, idempotencyKey } from '@/lib/forms';
import { nameSchema } from '@/lib/schemas';

const schema = z.object({
  name: nameSchema,
  environments: z.array(z.string()).min(1, 'Choose at least one environment.'),
  namespaces: z
    .string()
    .trim()
    .regex(
      /^([A-Za-z0-9_-]{1,100}(\s*,\s*[A-Za-z0-9_-]{1,100})*)?$/,
      'Comma-separated namespace keys.',
    ),
});
type Values = z.infer<typeof schema>;

/** Creates a client token; the secret is shown exactly once, with a copy button. */
export function CreateTokenDialog() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const envs = useEnvironments(org.slug);
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, setError, reset, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', environments: [], namespaces: '' },
  });
  const { errors, isSubmitting } = formState;
  const onSubmit = handleSubmit(async (v) => {
    setFormError(undefined);
    try {
      const namespaces = v.namespaces ? v.namespaces.split(',').map((s) => s.trim()) : [];
      const created = await unwrap(
        api.POST('/api/v1/orgs/{org}/client-tokens', {
          params: { path: { org: org.slug } },
          body: { name: v.name, environments: v.environments, namespaces },
          headers: { 'idempotency-key': idempotencyKey() },
        }),
      );
      setSecret(created.token);
      await queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'client-tokens'] });
    } catch (e) {
      setFormError(applyApiError(e, setError, ['name', 'environments', 'namespaces']));
    }
  });
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    // Closing forgets the secret for good.
    if (!next) {
      setSecret(undefined);
      setFormError(undefined);
      reset();
    }
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" /> New client token
        </Button>
      </DialogTrigger>
      <DialogContent>
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Copy your token now</DialogTitle>
              <DialogDescription>
                This is the only time the secret is shown. Store it in your secret manager.
              </DialogDescription>
            </DialogHeader>
            <CopyField value={secret} label="client token" />
            <p className="flex items-center gap-2 text-sm text-warning">
              <TriangleAlertIcon className="size-4" aria-hidden="true" /> Lost it? Revoke this token
              and create a new one.
            </p>
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>New client token</DialogTitle>
              <DialogDescription>
                SDKs send it as a bearer token. It can only read the environments (and namespaces)
                you choose.
              </DialogDescription>
            </DialogHeader>
            <form onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" noValidate>
              <FormError message={formError} />
              <Field
                id="token-name"
                label="Name"
                help="Where it is used, e.g. “checkout service (production)”."
                error={errors.name?.message}
              >
                <Input
                  {...fieldProps('token-name', errors.name?.message, true)}
                  {...register('name')}
                />
              </Field>
              <fieldset
                className="flex flex-col gap-2"
                aria-describedby={errors.environments ? 'token-envs-error' : undefined}
              >
                <legend className="mb-1 text-sm font-medium">Environments</legend>
                {envs.data?.items.length === 0 && (
                  <p className="text-sm text-muted-foreground">Create an environment first.</p>
                )}
                {envs.isError && (
                  <p className="text-sm text-destructive">Could not load environments.</p>
                )}
                {envs.data?.items.map((env) => (
                  <label key={env.id} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      value={env.key}
                      className="size-4 accent-primary"
                      {...register('environments')}
                    />{' '}
                    {env.name} <span className="text-muted-foreground">({env.key})</span>
                  </label>
                ))}
                <FieldError id="token-envs-error" message={errors.environments?.message} />
              </fieldset>
              <Field
                id="token-namespaces"
                label="Namespaces (optional)"
                help="Comma-separated; empty means every namespace."
                error={errors.namespaces?.message}
              >
                <Input
                  {...fieldProps('token-namespaces', errors.namespaces?.message, true)}
                  {...register('namespaces')}
                  placeholder="default"
                />
              </Field>
              <DialogFooter>
                <Button type="submit" disabled={isSubmitting}>
                  {isSubmitting ? 'Creating…' : 'Create token'}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

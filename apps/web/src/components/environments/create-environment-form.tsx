'use client';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Field, fieldProps } from '@/components/field';
import { useOrg } from '@/components/org-context';
import { FormError } from '@/components/states';
import { Button } from '@/components/ui/button';
import { DialogFooter } from '@/components/ui/dialog';
import { Input, NativeSelect } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { applyApiError, idempotencyKey } from '@/lib/forms';
import { nameSchema, slugSchema } from '@/lib/schemas';
import { toast } from 'sonner';

const schema = z.object({
  name: nameSchema,
  key: slugSchema,
  repositoryId: z.string(),
  branch: z.string().trim().min(1, 'Required.').max(200),
  directory: z.string().trim().max(500),
  protected: z.boolean(),
});
type Values = z.infer<typeof schema>;

/** The form inside the create dialog; loaded only when the dialog opens (keeps zod and react-hook-form off page load). */
export default function CreateEnvironmentForm({ onDone }: { onDone: () => void }) {
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const repos = useQuery({
    queryKey: ['orgs', org.slug, 'repositories'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/orgs/{org}/repositories', {
          params: { path: { org: org.slug }, query: { limit: 200 } },
        }),
      ),
  });
  const { register, handleSubmit, setError, setValue, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      name: '',
      key: '',
      repositoryId: '',
      branch: 'main',
      directory: '',
      protected: false,
    },
  });
  const { errors, isSubmitting, dirtyFields } = formState;
  const onSubmit = handleSubmit(async (v) => {
    setFormError(undefined);
    try {
      const body = {
        key: v.key,
        name: v.name,
        branch: v.branch,
        directory: v.directory,
        protected: v.protected,
        repositoryId: v.repositoryId || null,
      };
      const env = await unwrap(
        api.POST('/api/v1/orgs/{org}/environments', {
          params: { path: { org: org.slug } },
          body,
          headers: { 'idempotency-key': idempotencyKey() },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'environments'] });
      toast.success(`Environment ${env.key} created`);
      onDone();
      router.push(`/orgs/${org.slug}/environments/${env.key}`);
    } catch (e) {
      setFormError(
        applyApiError(e, setError, [
          'key',
          'name',
          'repositoryId',
          'branch',
          'directory',
          'protected',
        ]),
      );
    }
  });
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" noValidate>
      <FormError message={formError} />
      <Field id="env-name" label="Name" error={errors.name?.message}>
        <Input
          {...fieldProps('env-name', errors.name?.message)}
          {...register('name', {
            onChange: (e: { target: { value: string } }) => {
              if (!dirtyFields.key)
                setValue(
                  'key',
                  e.target.value
                    .toLowerCase()
                    .replace(/[^a-z0-9]+/g, '-')
                    .replace(/^-+|-+$/g, '')
                    .slice(0, 40),
                );
            },
          })}
        />
      </Field>
      <Field
        id="env-key"
        label="Key"
        help="Part of the environment's URL; it cannot be changed."
        error={errors.key?.message}
      >
        <Input
          {...fieldProps('env-key', errors.key?.message, true)}
          {...register('key')}
          spellCheck={false}
        />
      </Field>
      <Field
        id="env-repository"
        label="Source"
        help={
          repos.isError
            ? 'Could not load repositories; the hosted repository is still available.'
            : 'Hosted: Switchyard keeps the git repository. Or use an external repository registered under Repositories.'
        }
        error={errors.repositoryId?.message}
      >
        <NativeSelect
          {...fieldProps('env-repository', errors.repositoryId?.message, true)}
          {...register('repositoryId')}
        >
          <option value="">Hosted by Switchyard</option>
          {repos.data?.items.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} ({r.url})
            </option>
          ))}
        </NativeSelect>
      </Field>
      <div className="grid grid-cols-2 gap-4">
        <Field id="env-branch" label="Branch" error={errors.branch?.message}>
          <Input
            {...fieldProps('env-branch', errors.branch?.message)}
            {...register('branch')}
            spellCheck={false}
          />
        </Field>
        <Field
          id="env-directory"
          label="Directory"
          help="Empty: repository root."
          error={errors.directory?.message}
        >
          <Input
            {...fieldProps('env-directory', errors.directory?.message, true)}
            {...register('directory')}
            spellCheck={false}
          />
        </Field>
      </div>
      <div className="flex items-start gap-2">
        <input
          type="checkbox"
          id="env-protected"
          className="mt-1 size-4 accent-primary"
          {...register('protected')}
          aria-describedby="env-protected-help"
        />
        <div>
          <label htmlFor="env-protected" className="text-sm font-medium">
            Protected
          </label>
          <p id="env-protected-help" className="text-xs text-muted-foreground">
            Changes go through proposals that another member approves.
          </p>
        </div>
      </div>
      <DialogFooter>
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Creating…' : 'Create environment'}
        </Button>
      </DialogFooter>
    </form>
  );
}

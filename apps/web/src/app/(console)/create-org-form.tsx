'use client';
import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Field, fieldProps } from '@/components/field';
import { FormError } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { applyApiError, idempotencyKey } from '@/lib/forms';
import { nameSchema, slugSchema } from '@/lib/schemas';

const schema = z.object({ name: nameSchema, slug: slugSchema });
type Values = z.infer<typeof schema>;

export function CreateOrgForm() {
  const router = useRouter();
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, setError, setValue, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', slug: '' },
  });
  const { errors, isSubmitting, dirtyFields } = formState;
  const onSubmit = handleSubmit(async (values) => {
    setFormError(undefined);
    try {
      await unwrap(
        api.POST('/api/v1/orgs', {
          body: values,
          headers: { 'idempotency-key': idempotencyKey() },
        }),
      );
      router.push(`/orgs/${values.slug}`);
    } catch (e) {
      setFormError(applyApiError(e, setError, ['slug', 'name']));
    }
  });
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" noValidate>
      <FormError message={formError} />
      <Field id="org-name" label="Name" error={errors.name?.message}>
        <Input
          {...fieldProps('org-name', errors.name?.message)}
          {...register('name', {
            onChange: (e: { target: { value: string } }) => {
              // Suggest a slug from the name until the user edits the slug.
              if (!dirtyFields.slug)
                setValue(
                  'slug',
                  e.target.value
                    .toLowerCase()
                    .replace(/[^a-z0-9]+/g, '-')
                    .replace(/^-+|-+$/g, '')
                    .slice(0, 40),
                );
            },
          })}
          autoComplete="organization"
        />
      </Field>
      <Field
        id="org-slug"
        label="Slug"
        help="Used in URLs and environment host names; it cannot be changed."
        error={errors.slug?.message}
      >
        <Input
          {...fieldProps('org-slug', errors.slug?.message, true)}
          {...register('slug')}
          spellCheck={false}
        />
      </Field>
      <Button type="submit" disabled={isSubmitting}>
        {isSubmitting ? 'Creating…' : 'Create organisation'}
      </Button>
    </form>
  );
}

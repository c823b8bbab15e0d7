'use client';
import { zodResolver } from '@hookform/resolvers/zod';
import { PlusIcon, TrashIcon } from 'lucide-react';
import { useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { z } from 'zod';
import { Field, fieldProps } from '@/components/field';
import { FormError } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, NativeSelect } from '@/components/ui/input';
import { applyApiError } from '@/lib/forms';

export const KINDS = {
  GOOGLE: 'Google Workspace',
  OKTA: 'Okta',
  AUTH0: 'Auth0',
  OIDC: 'Generic OpenID Connect',
} as const;
type Kind = keyof typeof KINDS;
const ROLE = z.enum(['OWNER', 'ADMIN', 'EDITOR', 'VIEWER']);

const schema = z
  .object({
    kind: z.enum(['GOOGLE', 'OKTA', 'AUTH0', 'OIDC']),
    name: z.string().trim().min(1, 'Required.').max(200),
    issuer: z.string().trim(),
    domain: z.string().trim(),
    clientId: z.string().trim().min(1, 'Required.'),
    clientSecret: z.string(),
    allowedDomains: z.string().trim(),
    claim: z.string().trim(),
    mapping: z.array(z.object({ value: z.string().trim().min(1, 'Required.'), role: ROLE })),
    requireMatch: z.boolean(),
    defaultRole: z.enum(['ADMIN', 'EDITOR', 'VIEWER']),
    auth0Organization: z.string().trim(),
    enforce: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'GOOGLE' && !v.allowedDomains)
      ctx.addIssue({
        code: 'custom',
        path: ['allowedDomains'],
        message: 'A Google connection needs the Workspace domain(s) to accept.',
      });
    if ((v.kind === 'OKTA' || v.kind === 'AUTH0') && !v.issuer && !v.domain)
      ctx.addIssue({
        code: 'custom',
        path: ['domain'],
        message: 'Give the domain (or an issuer URL).',
      });
    if (v.kind === 'OIDC' && !v.issuer)
      ctx.addIssue({ code: 'custom', path: ['issuer'], message: 'Required.' });
  });
export type SsoFormValues = z.infer<typeof schema>;

/** The request body from the form (only the fields this kind uses; an empty secret is left unchanged). */
export function toBody(v: SsoFormValues, editing: boolean) {
  const domains = v.allowedDomains.split(/[\s,]+/).filter(Boolean);
  return {
    name: v.name,
    ...(v.issuer ? { issuer: v.issuer } : {}),
    ...(v.domain && (v.kind === 'OKTA' || v.kind === 'AUTH0') ? { domain: v.domain } : {}),
    clientId: v.clientId,
    ...(v.clientSecret || !editing ? { clientSecret: v.clientSecret } : {}),
    allowedDomains: domains,
    roleMapping: {
      ...(v.claim ? { claim: v.claim } : {}),
      values: Object.fromEntries(v.mapping.map((m) => [m.value, m.role])),
      requireMatch: v.requireMatch,
    },
    defaultRole: v.defaultRole,
    ...(v.kind === 'AUTH0' ? { auth0Organization: v.auth0Organization || null } : {}),
    enforce: v.enforce,
  };
}

const FIELDS = [
  'name',
  'issuer',
  'domain',
  'clientId',
  'clientSecret',
  'allowedDomains',
  'defaultRole',
  'auth0Organization',
  'enforce',
];

/** Create or edit an SSO connection; fields follow the provider kind. */
export function SsoForm({
  initial,
  editing,
  onSubmit,
}: {
  initial: SsoFormValues;
  editing: boolean;
  onSubmit: (values: SsoFormValues) => Promise<void>;
}) {
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, control, watch, setError, formState } = useForm<SsoFormValues>({
    resolver: zodResolver(schema),
    defaultValues: initial,
  });
  const mapping = useFieldArray({ control, name: 'mapping' });
  const { errors, isSubmitting } = formState;
  const kind: Kind = watch('kind');
  const submit = handleSubmit(async (v) => {
    setFormError(undefined);
    try {
      await onSubmit(v);
    } catch (e) {
      setFormError(applyApiError(e, setError, FIELDS));
    }
  });
  const err = (k: keyof SsoFormValues) => errors[k]?.message;
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-4" noValidate>
      <FormError message={formError} />
      <Field id="sso-kind" label="Provider">
        <NativeSelect id="sso-kind" {...register('kind')} disabled={editing}>
          {Object.entries(KINDS).map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id="sso-name" label="Name" error={err('name')}>
        <Input {...fieldProps('sso-name', err('name'))} {...register('name')} />
      </Field>
      {(kind === 'OKTA' || kind === 'AUTH0') && (
        <Field
          id="sso-domain"
          label={kind === 'OKTA' ? 'Okta domain' : 'Auth0 domain'}
          help={
            kind === 'OKTA'
              ? 'e.g. acme.okta.com; the issuer is derived from it.'
              : 'e.g. acme.eu.auth0.com or your custom domain.'
          }
          error={err('domain')}
        >
          <Input
            {...fieldProps('sso-domain', err('domain'), true)}
            {...register('domain')}
            spellCheck={false}
          />
        </Field>
      )}
      {kind !== 'GOOGLE' && (
        <Field
          id="sso-issuer"
          label={kind === 'OIDC' ? 'Issuer URL' : 'Issuer URL (instead of the domain)'}
          help="Exact issuer identifier; discovery runs when you save."
          error={err('issuer')}
        >
          <Input
            {...fieldProps('sso-issuer', err('issuer'), true)}
            {...register('issuer')}
            spellCheck={false}
            placeholder="https://idp.example.com"
          />
        </Field>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="sso-client-id" label="Client ID" error={err('clientId')}>
          <Input
            {...fieldProps('sso-client-id', err('clientId'))}
            {...register('clientId')}
            spellCheck={false}
          />
        </Field>
        <Field
          id="sso-client-secret"
          label="Client secret"
          help={
            editing
              ? 'Leave empty to keep the current secret.'
              : 'Stored encrypted; never shown again.'
          }
          error={err('clientSecret')}
        >
          <Input
            type="password"
            autoComplete="new-password"
            {...fieldProps('sso-client-secret', err('clientSecret'), true)}
            {...register('clientSecret')}
          />
        </Field>
      </div>
      <Field
        id="sso-domains"
        label={kind === 'GOOGLE' ? 'Workspace domains' : 'Allowed e-mail domains (optional)'}
        help="Comma-separated, e.g. example.com. Logins from other domains are refused."
        error={err('allowedDomains')}
      >
        <Input
          {...fieldProps('sso-domains', err('allowedDomains'), true)}
          {...register('allowedDomains')}
          spellCheck={false}
        />
      </Field>
      {kind === 'AUTH0' && (
        <Field
          id="sso-auth0-org"
          label="Auth0 organization (optional)"
          help="org_… : only members of this Auth0 organization may sign in."
          error={err('auth0Organization')}
        >
          <Input
            {...fieldProps('sso-auth0-org', err('auth0Organization'), true)}
            {...register('auth0Organization')}
            spellCheck={false}
          />
        </Field>
      )}
      <fieldset className="flex flex-col gap-3 rounded-lg border p-4">
        <legend className="px-1 text-sm font-medium">Role mapping</legend>
        <Field
          id="sso-claim"
          label="Claim"
          help={`The ID-token claim holding groups or roles (default ${kind === 'AUTH0' ? 'https://switchyard.dev/roles' : 'groups'}).`}
          error={err('claim')}
        >
          <Input
            {...fieldProps('sso-claim', err('claim'), true)}
            {...register('claim')}
            spellCheck={false}
          />
        </Field>
        {mapping.fields.map((f, i) => (
          <div key={f.id} className="flex items-end gap-2">
            <div className="flex flex-1 flex-col gap-1.5">
              <label htmlFor={`sso-map-value-${i}`} className="text-xs font-medium">
                Group or role value
              </label>
              <Input
                id={`sso-map-value-${i}`}
                {...register(`mapping.${i}.value`)}
                aria-invalid={errors.mapping?.[i]?.value ? true : undefined}
              />
            </div>
            <div className="flex w-36 flex-col gap-1.5">
              <label htmlFor={`sso-map-role-${i}`} className="text-xs font-medium">
                Role
              </label>
              <NativeSelect id={`sso-map-role-${i}`} {...register(`mapping.${i}.role`)}>
                {ROLE.options.map((r) => (
                  <option key={r} value={r}>
                    {r.toLowerCase()}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <Button
              type="button"
              variant="ghost"
              size="icon"
              aria-label={`Remove mapping ${i + 1}`}
              onClick={() => mapping.remove(i)}
            >
              <TrashIcon aria-hidden="true" />
            </Button>
          </div>
        ))}
        <Button
          type="button"
          variant="outline"
          size="sm"
          className="self-start"
          onClick={() => mapping.append({ value: '', role: 'EDITOR' })}
        >
          <PlusIcon aria-hidden="true" /> Add a mapping
        </Button>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="sso-default-role" label="Role when nothing matches">
            <NativeSelect id="sso-default-role" {...register('defaultRole')}>
              <option value="VIEWER">viewer</option>
              <option value="EDITOR">editor</option>
              <option value="ADMIN">admin</option>
            </NativeSelect>
          </Field>
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-primary"
              {...register('requireMatch')}
            />{' '}
            Only mapped values get access
          </label>
        </div>
      </fieldset>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" className="mt-0.5 size-4 accent-primary" {...register('enforce')} />
        <span>
          <span className="font-medium">Enforce</span>
          <span className="block text-xs text-muted-foreground">
            Members must sign in through this connection to open the organisation.
          </span>
        </span>
      </label>
      <div className="flex justify-end">
        <Button type="submit" disabled={isSubmitting}>
          {isSubmitting ? 'Checking the issuer…' : editing ? 'Save changes' : 'Create connection'}
        </Button>
      </div>
    </form>
  );
}

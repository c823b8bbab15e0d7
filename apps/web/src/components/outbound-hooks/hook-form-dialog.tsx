'use client';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { TriangleAlertIcon } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { CopyField } from '@/components/copy-button';
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

/** Event types a webhook can subscribe to, with what each means (the API's HOOK_EVENT_TYPES). */
export const HOOK_EVENTS = [
  ['commit', 'Commit: any change to an environment (with the field-level diff)'],
  ['proposal.opened', 'Proposal opened'],
  ['proposal.approved', 'Proposal approved'],
  ['proposal.merged', 'Proposal merged'],
  ['proposal.changes_requested', 'Changes requested on a proposal'],
  ['promotion', 'Promotion between environments'],
  ['schedule.applied', 'Scheduled change applied'],
  ['schedule.failed', 'Scheduled change failed'],
  ['token.created', 'Client token created'],
  ['token.revoked', 'Client token revoked'],
] as const;
type HookEvent = (typeof HOOK_EVENTS)[number][0];

const schema = z.object({
  name: nameSchema,
  url: z
    .string()
    .trim()
    .url('An absolute URL, e.g. https://hooks.example.com/switchyard.')
    .regex(/^https?:\/\//, 'An http(s) URL.'),
  events: z.array(z.string()).min(1, 'Choose at least one event.'),
  enabled: z.boolean(),
});
type Values = z.infer<typeof schema>;

/** A webhook as listed. */
export interface HookRow {
  id: string;
  name: string;
  url: string;
  events: string[];
  enabled: boolean;
}

/**
 * Creates a webhook (the signing secret is shown exactly once, with a copy button) or edits one
 * (`hook` given: name, URL, events, enabled; the secret is never shown again).
 */
export function HookFormDialog({ hook, trigger }: { hook?: HookRow; trigger: ReactNode }) {
  const org = useOrg();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const defaults: Values = hook
    ? { name: hook.name, url: hook.url, events: hook.events, enabled: hook.enabled }
    : { name: '', url: '', events: ['commit'], enabled: true };
  const { register, handleSubmit, setError, reset, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: defaults,
  });
  const { errors, isSubmitting } = formState;
  const idPrefix = hook ? `hook-${hook.id}` : 'hook-new';
  const onSubmit = handleSubmit(async (v) => {
    setFormError(undefined);
    const body = { ...v, events: v.events as HookEvent[] };
    try {
      if (hook) {
        await unwrap(
          api.PATCH('/api/v1/orgs/{org}/outbound-webhooks/{hookId}', {
            params: { path: { org: org.slug, hookId: hook.id } },
            body,
          }),
        );
        setOpen(false);
      } else {
        const created = await unwrap(
          api.POST('/api/v1/orgs/{org}/outbound-webhooks', {
            params: { path: { org: org.slug } },
            body,
            headers: { 'idempotency-key': idempotencyKey() },
          }),
        );
        setSecret(created.secret);
      }
      await queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'outbound-webhooks'] });
    } catch (e) {
      setFormError(applyApiError(e, setError, ['name', 'url', 'events', 'enabled']));
    }
  });
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    // Closing forgets the secret for good.
    if (!next) {
      setSecret(undefined);
      setFormError(undefined);
      reset(defaults);
    }
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent>
        {secret ? (
          <>
            <DialogHeader>
              <DialogTitle>Copy the signing secret now</DialogTitle>
              <DialogDescription>
                Your receiver checks each delivery&apos;s signature with it. This is the only time
                it is shown.
              </DialogDescription>
            </DialogHeader>
            <CopyField value={secret} label="signing secret" />
            <p className="flex items-center gap-2 text-sm text-warning">
              <TriangleAlertIcon className="size-4" aria-hidden="true" /> Lost it? Delete the
              webhook and create it again.
            </p>
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done</Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>{hook ? `Edit “${hook.name}”` : 'New webhook'}</DialogTitle>
              <DialogDescription>
                Switchyard POSTs a signed JSON body to the URL for every event you choose. Private,
                loopback and cloud-metadata addresses are refused.
              </DialogDescription>
            </DialogHeader>
            <form onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" noValidate>
              <FormError message={formError} />
              <Field id={`${idPrefix}-name`} label="Name" error={errors.name?.message}>
                <Input
                  {...fieldProps(`${idPrefix}-name`, errors.name?.message)}
                  {...register('name')}
                />
              </Field>
              <Field
                id={`${idPrefix}-url`}
                label="Payload URL"
                help="Where deliveries are POSTed (https recommended)."
                error={errors.url?.message}
              >
                <Input
                  {...fieldProps(`${idPrefix}-url`, errors.url?.message, true)}
                  {...register('url')}
                  placeholder="https://hooks.example.com/switchyard"
                  inputMode="url"
                />
              </Field>
              <fieldset
                className="flex flex-col gap-2"
                aria-describedby={errors.events ? `${idPrefix}-events-error` : undefined}
              >
                <legend className="mb-1 text-sm font-medium">Events</legend>
                {HOOK_EVENTS.map(([value, label]) => (
                  <label key={value} className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      value={value}
                      className="size-4 accent-primary"
                      {...register('events')}
                    />{' '}
                    {label}
                  </label>
                ))}
                <FieldError id={`${idPrefix}-events-error`} message={errors.events?.message} />
              </fieldset>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" className="size-4 accent-primary" {...register('enabled')} />
                Active (deliveries are sent)
              </label>
              <DialogFooter>
                <Button type="submit" disabled={isSubmitting}>
                  {isSubmitting ? 'Saving…' : hook ? 'Save webhook' : 'Create webhook'}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

'use client';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { UserPlusIcon } from 'lucide-react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { Field, fieldProps } from '@/components/field';
import { useOrg } from '@/components/org-context';
import { FormError } from '@/components/states';
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
import { Input, NativeSelect } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { applyApiError, idempotencyKey } from '@/lib/forms';
import { ROLE_HELP, ROLES } from './roles';

const schema = z.object({
  email: z.email('Enter an e-mail address.').max(254),
  role: z.enum(ROLES),
});
type Values = z.infer<typeof schema>;

/** Invite by e-mail with a role: the person gets access when they next sign in with that address. */
export function InviteDialog() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, setError, reset, watch, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', role: 'VIEWER' },
  });
  const { errors, isSubmitting } = formState;
  const roles = org.role === 'OWNER' ? ROLES : ROLES.filter((r) => r !== 'OWNER');
  const onSubmit = handleSubmit(async (v) => {
    setFormError(undefined);
    try {
      await unwrap(
        api.POST('/api/v1/orgs/{org}/members', {
          params: { path: { org: org.slug } },
          body: v,
          headers: { 'idempotency-key': idempotencyKey() },
        }),
      );
      toast.success(`${v.email} added as ${v.role.toLowerCase()}`);
      await queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'members'] });
      setOpen(false);
      reset();
    } catch (e) {
      setFormError(applyApiError(e, setError, ['email', 'role']));
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
          <UserPlusIcon aria-hidden="true" /> Invite member
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite a member</DialogTitle>
          <DialogDescription>
            They get access when they sign in with this e-mail address.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" noValidate>
          <FormError message={formError} />
          <Field id="invite-email" label="E-mail" error={errors.email?.message}>
            <Input
              type="email"
              autoComplete="off"
              {...fieldProps('invite-email', errors.email?.message)}
              {...register('email')}
            />
          </Field>
          <Field
            id="invite-role"
            label="Role"
            help={ROLE_HELP[watch('role')]}
            error={errors.role?.message}
          >
            <NativeSelect
              {...fieldProps('invite-role', errors.role?.message, true)}
              {...register('role')}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {r.charAt(0) + r.slice(1).toLowerCase()}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <DialogFooter>
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? 'Inviting…' : 'Invite'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

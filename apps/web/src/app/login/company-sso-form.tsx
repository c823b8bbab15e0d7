'use client';
import { useState } from 'react';
import { FieldError } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, Label } from '@/components/ui/input';
import { api } from '@/lib/api/client';
import { formText } from '@/lib/forms';
import { companySsoInput, loginHref } from '@/lib/login-messages';

/**
 * "Sign in with your company's SSO": a work e-mail (its domain must be verified by the
 * organisation), the organisation's slug, or the sign-in link an administrator shared.
 */
export function CompanySsoForm({
  returnTo,
  initialValue,
}: {
  returnTo: string;
  initialValue?: string;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const submit = async (value: string) => {
    setError(undefined);
    const input = companySsoInput(value);
    if (!input)
      return setError(
        'Enter your work e-mail (e.g. ada@acme.com), your organisation’s name as in its URL (e.g. acme), or the sign-in link your administrator shared.',
      );
    if (input.kind === 'connection')
      return window.location.assign(loginHref(input.connection, returnTo));
    setPending(true);
    try {
      const { data, response } = await api.POST('/api/v1/auth/discover', {
        body: input.kind === 'email' ? { email: input.email } : { org: input.org },
      });
      if (response.status === 429)
        return setError('Too many attempts. Wait a minute and try again.');
      if (!data) return setError('This could not be looked up right now. Try again shortly.');
      if (!data.found || !data.connection) return setError(data.message);
      window.location.assign(loginHref(data.connection.id, returnTo));
    } catch {
      setError('The console cannot reach Switchyard. Try again shortly.');
    } finally {
      setPending(false);
    }
  };
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(formText(e.currentTarget, 'company'));
      }}
    >
      <Label htmlFor="company-sso">Sign in with your company’s SSO</Label>
      <p id="company-sso-help" className="text-xs text-muted-foreground">
        Your work e-mail, your organisation’s name as in its URL, or the sign-in link your
        administrator shared (Settings → Single sign-on).
      </p>
      <div className="flex gap-2">
        <Input
          id="company-sso"
          name="company"
          defaultValue={initialValue}
          autoComplete="email"
          placeholder="ada@acme.com or acme"
          aria-describedby="company-sso-help company-sso-error"
          aria-invalid={error ? true : undefined}
        />
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? 'Looking up…' : 'Continue'}
        </Button>
      </div>
      <FieldError id="company-sso-error" message={error} />
    </form>
  );
}

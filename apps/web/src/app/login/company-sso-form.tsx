'use client';
import { useState } from 'react';
import { FieldError } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Input, Label } from '@/components/ui/input';
import { formText } from '@/lib/forms';
import { connectionFromInput, loginHref } from '@/lib/login-messages';

/** "Sign in with your company's SSO": the organisation's sign-in link (or its connection id). */
export function CompanySsoForm({ returnTo }: { returnTo: string }) {
  const [error, setError] = useState<string>();
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const value = formText(e.currentTarget, 'link');
        const connection = connectionFromInput(value);
        if (!connection)
          return setError(
            'Paste the sign-in link your administrator shared (it contains “connection=”), or the connection ID.',
          );
        window.location.assign(loginHref(connection, returnTo));
      }}
    >
      <Label htmlFor="company-sso">Sign in with your company’s SSO</Label>
      <p id="company-sso-help" className="text-xs text-muted-foreground">
        Paste your organisation’s sign-in link. Administrators find it under Settings → Single
        sign-on.
      </p>
      <div className="flex gap-2">
        <Input
          id="company-sso"
          name="link"
          placeholder="https://…/login?connection=…"
          aria-describedby="company-sso-help company-sso-error"
          aria-invalid={error ? true : undefined}
        />
        <Button type="submit" variant="secondary">
          Continue
        </Button>
      </div>
      <FieldError id="company-sso-error" message={error} />
    </form>
  );
}

import type { Metadata } from 'next';
import { AlertCircleIcon, KeyRoundIcon } from 'lucide-react';
import { ThemeToggle } from '@/components/theme-toggle';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { isConnectionId, LOGIN_MESSAGES, loginHref } from '@/lib/login-messages';
import { safeReturnTo } from '@/lib/return-to';
import { CompanySsoForm } from './company-sso-form';

export const metadata: Metadata = { title: 'Sign in' };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: Search }) {
  const params = await searchParams;
  const one = (k: string) => (typeof params[k] === 'string' ? params[k] : undefined);
  const returnTo = safeReturnTo(one('returnTo'));
  const error = one('error');
  const message = error ? (LOGIN_MESSAGES[error] ?? LOGIN_MESSAGES['refused']) : undefined;
  const errorCode = error && LOGIN_MESSAGES[error] ? error : error ? 'refused' : undefined;
  const org = one('org');
  // "You already have an account": sign in the usual way, then link the new method on /account.
  // Offering the refused connection again would only refuse again.
  const linking = errorCode === 'link-required' ? one('connection') : undefined;
  const connection = linking ? undefined : one('connection');
  const next =
    linking && isConnectionId(linking) ? `/account?link=${encodeURIComponent(linking)}` : returnTo;
  return (
    <main className="relative flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <div className="absolute right-4 top-4">
        <ThemeToggle />
      </div>
      <Card className="w-full max-w-md">
        <CardHeader className="items-center text-center">
          <div
            className="mb-2 flex size-10 items-center justify-center rounded-lg bg-primary text-primary-foreground"
            aria-hidden="true"
          >
            <KeyRoundIcon className="size-5" />
          </div>
          <h1 className="text-xl font-semibold">Sign in to Switchyard</h1>
          <CardDescription>
            Feature flags as git commits, evaluated close to your users.
          </CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-5">
          {message && (
            <div
              role="alert"
              data-login-error={errorCode}
              className="flex gap-3 rounded-lg border border-destructive/40 p-3 text-sm"
            >
              <AlertCircleIcon
                className="mt-0.5 size-4 shrink-0 text-destructive"
                aria-hidden="true"
              />
              <div>
                <p className="font-medium">{message.title}</p>
                <p className="text-muted-foreground">{message.body}</p>
              </div>
            </div>
          )}
          {connection && (
            <Button asChild size="lg">
              <a href={loginHref(connection, next)}>Continue with your company’s SSO</a>
            </Button>
          )}
          <Button asChild size="lg" variant={connection ? 'outline' : 'default'}>
            <a href={loginHref('platform', next)}>Sign in with SSO</a>
          </Button>
          <div className="flex items-center gap-3 text-xs uppercase text-muted-foreground">
            <span className="h-px flex-1 bg-border" /> or <span className="h-px flex-1 bg-border" />
          </div>
          <CompanySsoForm returnTo={next} initialValue={org} />
        </CardContent>
      </Card>
    </main>
  );
}

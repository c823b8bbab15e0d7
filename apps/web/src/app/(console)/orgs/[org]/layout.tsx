import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/app-shell';
import { OrgProvider } from '@/components/org-context';
import { Button } from '@/components/ui/button';
import { serverApi } from '@/lib/api/server';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** Resolves the organisation for the caller: not a member → 404; SSO required → an explanation. */
export default async function OrgLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org: slug } = await params;
  if (!SLUG.test(slug)) notFound();
  const api = await serverApi();
  const { data, error, response } = await api.GET('/api/v1/orgs/{org}', {
    params: { path: { org: slug } },
  });
  if (response.status === 404) notFound();
  if (response.status === 403) {
    return (
      <main className="flex min-h-screen items-center justify-center p-6">
        <div role="alert" className="flex max-w-md flex-col gap-3 rounded-xl border p-6">
          <h1 className="text-lg font-semibold">
            You cannot open this organisation with this sign-in
          </h1>
          <p className="text-sm text-muted-foreground">
            {error?.message ?? 'Access refused.'} Sign out, then sign in through your company’s SSO
            link (your administrator can share it).
          </p>
          <Button asChild variant="outline">
            <Link
              href={`/login?${new URLSearchParams({ error: 'sso-required', org: slug, returnTo: `/orgs/${slug}` }).toString()}`}
            >
              Go to sign-in
            </Link>
          </Button>
        </div>
      </main>
    );
  }
  if (!data) throw new Error(`could not load organisation (${response.status})`);
  return (
    <OrgProvider org={{ slug: data.slug, name: data.name, role: data.role }}>
      <AppShell>{children}</AppShell>
    </OrgProvider>
  );
}

import { cookies } from 'next/headers';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Building2Icon, ChevronRightIcon } from 'lucide-react';
import { ThemeToggle } from '@/components/theme-toggle';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { serverApi } from '@/lib/api/server';
import { LAST_ORG_COOKIE } from '@/lib/last-org';
import { CreateOrgForm } from './create-org-form';

/** `/`: the organisation used last, the only one, a choice between several, or creating the first. */
export default async function Home() {
  const api = await serverApi();
  const { data, error } = await api.GET('/api/v1/orgs', { params: { query: { limit: 100 } } });
  if (error || !data) throw new Error('could not list organisations');
  const orgs = data.items;
  const last = (await cookies()).get(LAST_ORG_COOKIE)?.value;
  const target = orgs.find((o) => o.slug === last) ?? (orgs.length === 1 ? orgs[0] : undefined);
  if (target) redirect(`/orgs/${target.slug}`);
  return (
    <main className="relative flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <div className="absolute right-4 top-4">
        <ThemeToggle />
      </div>
      <div className="flex w-full max-w-lg flex-col gap-6">
        {orgs.length > 0 && (
          <Card>
            <CardHeader>
              <h1 className="text-xl font-semibold">Choose an organisation</h1>
            </CardHeader>
            <CardContent>
              <ul className="flex flex-col divide-y rounded-lg border">
                {orgs.map((o) => (
                  <li key={o.id}>
                    <Link
                      href={`/orgs/${o.slug}`}
                      className="flex items-center gap-3 p-3 hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                    >
                      <Building2Icon className="size-4 text-muted-foreground" aria-hidden="true" />
                      <span className="flex-1 font-medium">{o.name}</span>
                      <span className="text-xs text-muted-foreground">{o.role.toLowerCase()}</span>
                      <ChevronRightIcon className="size-4" aria-hidden="true" />
                    </Link>
                  </li>
                ))}
              </ul>
            </CardContent>
          </Card>
        )}
        <Card>
          <CardHeader>
            {orgs.length === 0 ? (
              <h1 className="text-xl font-semibold">Create your first organisation</h1>
            ) : (
              <h2 className="text-lg font-semibold">Create another organisation</h2>
            )}
            <CardDescription>
              An organisation gets its own evaluation instance, environments, members and SSO. You
              become its owner.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <CreateOrgForm />
          </CardContent>
        </Card>
      </div>
    </main>
  );
}

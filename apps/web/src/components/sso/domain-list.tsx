'use client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { GlobeIcon, RefreshCwIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyField } from '@/components/copy-button';
import { can, useOrg } from '@/components/org-context';
import { EmptyState, ErrorState, FieldError, FormError, LoadingRows } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { Input, Label } from '@/components/ui/input';
import { api, unwrap } from '@/lib/api/client';
import { ApiError, describeError } from '@/lib/api/errors';
import { formText, idempotencyKey } from '@/lib/forms';
import { NEEDS } from '@/lib/permissions';
import { relativeTime } from '@/lib/utils';

type Domain = Awaited<ReturnType<typeof listDomains>>['items'][number];
const listDomains = (org: string) =>
  unwrap(api.GET('/api/v1/orgs/{org}/domains', { params: { path: { org } } }));

/** Why a verification failed, in words: the API's message plus what to do about it. */
function verifyFailure(e: unknown): string {
  if (!(e instanceof ApiError)) return describeError(e);
  switch (e.status) {
    case 412:
      // The API says which record it looked for and what it found.
      return `Not verified yet: ${e.body.message}`;
    case 409:
      return `${e.body.message}. Another organisation holds this domain verified; it must delete it before you can verify it.`;
    case 503:
      return `${e.body.message}. DNS did not answer; try again in a minute.`;
    default:
      return describeError(e);
  }
}

function DomainCard({
  d,
  editable,
  refresh,
}: {
  d: Domain;
  editable: boolean;
  refresh: () => void;
}) {
  const org = useOrg();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [pending, setPending] = useState(false);
  const verify = async () => {
    setPending(true);
    setResult(undefined);
    try {
      await unwrap(
        api.POST('/api/v1/orgs/{org}/domains/{domainId}/verify', {
          params: { path: { org: org.slug, domainId: d.id } },
        }),
      );
      setResult({ ok: true, text: `${d.domain} is verified.` });
      refresh();
    } catch (e) {
      setResult({ ok: false, text: verifyFailure(e) });
    } finally {
      setPending(false);
    }
  };
  const verified = d.status === 'verified';
  return (
    <Card data-domain={d.domain}>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="flex flex-col gap-1">
          <h3 className="font-semibold">{d.domain}</h3>
          <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
            {verified ? (
              <Badge variant="success">verified</Badge>
            ) : (
              <Badge variant="warning">pending verification</Badge>
            )}
            <span>
              {verified && d.verifiedAt
                ? `verified ${relativeTime(d.verifiedAt)}`
                : `added ${relativeTime(d.createdAt)}`}
            </span>
          </div>
        </div>
        {editable && (
          <div className="flex gap-2">
            <Button
              variant={verified ? 'outline' : 'default'}
              size="sm"
              disabled={pending}
              onClick={() => void verify()}
              aria-label={`Verify ${d.domain}`}
            >
              <RefreshCwIcon aria-hidden="true" className={pending ? 'animate-spin' : undefined} />
              {pending ? 'Checking DNS…' : verified ? 'Check again' : 'Verify'}
            </Button>
            <ConfirmDialog
              trigger={
                <Button variant="outline" size="sm" aria-label={`Delete ${d.domain}`}>
                  Delete
                </Button>
              }
              title={`Delete “${d.domain}”?`}
              description="Your SSO connections stop creating and linking accounts for this domain, and sign-in by e-mail no longer finds your organisation. Existing accounts stay."
              confirmLabel="Delete domain"
              onConfirm={() =>
                unwrap(
                  api.DELETE('/api/v1/orgs/{org}/domains/{domainId}', {
                    params: { path: { org: org.slug, domainId: d.id } },
                  }),
                ).then(refresh, (e: unknown) => void toast.error(describeError(e)))
              }
            />
          </div>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <p className="text-sm text-muted-foreground">
          {verified
            ? 'Keep this DNS record published:'
            : editable
              ? 'Create this DNS record at your DNS provider, then verify:'
              : 'An administrator verifies the domain by publishing this DNS record:'}
        </p>
        <div className="grid gap-3 md:grid-cols-[6rem_1fr]">
          <span className="text-xs font-medium text-muted-foreground">Type</span>
          <code className="font-mono text-sm">{d.verification.type}</code>
          <span className="text-xs font-medium text-muted-foreground">Name</span>
          <CopyField value={d.verification.name} label={`${d.domain} TXT record name`} />
          <span className="text-xs font-medium text-muted-foreground">Value</span>
          <CopyField value={d.verification.value} label={`${d.domain} TXT record value`} />
        </div>
        {result && (
          <p
            role={result.ok ? 'status' : 'alert'}
            className={
              result.ok
                ? 'rounded-md border border-success/40 p-3 text-sm text-success'
                : 'rounded-md border border-destructive/40 p-3 text-sm text-destructive'
            }
          >
            {result.text}
          </p>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * Domains of the organisation, verified by a DNS TXT record: a verified domain lets its SSO
 * connections create and link accounts by e-mail, and lets members find its SSO by e-mail on the
 * sign-in page. Everyone sees them; admins add, verify and delete.
 */
export function DomainList() {
  const org = useOrg();
  const queryClient = useQueryClient();
  const editable = can(org.role, NEEDS.orgWrite);
  const [error, setError] = useState<string>();
  const [fieldError, setFieldError] = useState<string>();
  const domains = useQuery({
    queryKey: ['orgs', org.slug, 'domains'],
    queryFn: () => listDomains(org.slug),
  });
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: ['orgs', org.slug, 'domains'] });
  const add = async (form: HTMLFormElement) => {
    setError(undefined);
    setFieldError(undefined);
    const domain = formText(form, 'domain');
    if (!domain) return setFieldError('Enter a domain such as example.com.');
    try {
      await unwrap(
        api.POST('/api/v1/orgs/{org}/domains', {
          params: { path: { org: org.slug } },
          body: { domain },
          headers: { 'idempotency-key': idempotencyKey() },
        }),
      );
      form.reset();
      refresh();
    } catch (e) {
      const field = e instanceof ApiError ? e.fieldErrors()['domain'] : undefined;
      if (field) setFieldError(field);
      else setError(describeError(e));
    }
  };
  let body;
  if (domains.isPending) body = <LoadingRows rows={2} label="Loading domains" />;
  else if (domains.isError)
    body = <ErrorState error={domains.error} retry={() => void domains.refetch()} />;
  else if (domains.data.items.length === 0)
    body = (
      <EmptyState icon={GlobeIcon} title="No domain yet">
        {editable
          ? 'Add the e-mail domain your members use (e.g. example.com), publish the TXT record shown, then verify it.'
          : 'An administrator can add and verify your company’s e-mail domain.'}
      </EmptyState>
    );
  else
    body = (
      <ul className="flex flex-col gap-4" aria-label="Domains">
        {domains.data.items.map((d) => (
          <li key={d.id}>
            <DomainCard d={d} editable={editable} refresh={refresh} />
          </li>
        ))}
      </ul>
    );
  return (
    <section aria-labelledby="domains-heading" className="mt-10 flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h2 id="domains-heading" className="text-xl font-semibold tracking-tight">
          Domains
        </h2>
        <p className="text-sm text-muted-foreground">
          Prove your organisation owns an e-mail domain with a DNS TXT record. Then your SSO
          connections may create and link accounts for it, and members find your SSO by e-mail on
          the sign-in page.
        </p>
      </div>
      {editable && (
        <Card>
          <CardHeader>
            <h3 className="font-semibold">Add a domain</h3>
            <CardDescription>
              The exact domain: a verified example.com does not cover eu.example.com.
            </CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-2">
            <form
              className="flex items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                void add(e.currentTarget);
              }}
            >
              <div className="flex flex-1 flex-col gap-1.5">
                <Label htmlFor="domain-name">Domain</Label>
                <Input
                  id="domain-name"
                  name="domain"
                  placeholder="example.com"
                  aria-describedby="domain-name-error"
                  aria-invalid={fieldError ? true : undefined}
                />
              </div>
              <Button type="submit">Add domain</Button>
            </form>
            <FieldError id="domain-name-error" message={fieldError} />
            <FormError message={error} />
          </CardContent>
        </Card>
      )}
      {body}
    </section>
  );
}

'use client';
import { Command } from 'cmdk';
import { Dialog as D } from 'radix-ui';
import {
  BoxesIcon,
  FlagIcon,
  LaptopIcon,
  LogOutIcon,
  MoonIcon,
  SunIcon,
  ToggleLeftIcon,
  UsersRoundIcon,
  type LucideIcon,
} from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTheme } from 'next-themes';
import { useState } from 'react';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { reviewedWrite } from './history/reviewed-write';
import { can, useOrg } from './org-context';
import { usePaletteTargets, type PaletteFlag } from './palette-targets';
import { Button } from './ui/button';
import { signOut } from './user-menu';

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  exact?: boolean;
}

const itemClass =
  'flex cursor-default items-center gap-2 rounded-md px-3 py-2 text-sm aria-selected:bg-accent [&_svg]:size-4';

const groupClass = 'text-xs text-muted-foreground [&_[cmdk-group-items]]:text-foreground';

/** Confirms a toggle picked in the palette, then saves it (a proposal in a protected environment). */
function ToggleConfirm({ target, onDone }: { target: PaletteFlag; onDone: () => void }) {
  const org = useOrg();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const next = !target.flag.enabled;
  const label = `Turn ${target.flag.key} ${next ? 'on' : 'off'} in ${target.env}`;
  const confirm = async () => {
    setBusy(true);
    try {
      const r = await reviewedWrite(
        org.slug,
        { key: target.env, protected: target.protected, revision: target.revision },
        label,
        (t) =>
          unwrap(
            api.PUT('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}', {
              params: {
                path: {
                  org: org.slug,
                  env: target.env,
                  ns: target.namespace,
                  flag: target.flag.key,
                },
                query: t.proposal ? { proposal: t.proposal } : {},
              },
              headers: { 'if-match': t.ifMatch },
              body: { ...target.flag, enabled: next } as never,
            }),
          ),
      );
      onDone();
      if (r.proposal) router.push(`/orgs/${org.slug}/proposals/${target.env}/${r.proposal}`);
      else router.refresh();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-3 p-4 text-sm">
      <p className="font-medium">{label}?</p>
      <p className="text-muted-foreground">
        {target.protected
          ? 'This environment is protected: a proposal is opened for a second member to approve.'
          : 'This writes one commit to the environment, authored by you.'}
      </p>
      {error && (
        <p role="alert" className="text-destructive">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button disabled={busy} onClick={() => void confirm()}>
          Confirm
        </Button>
      </div>
    </div>
  );
}

/**
 * ⌘K / Ctrl+K (the shortcut lives in AppShell): jump to a page, an environment, a flag or a
 * segment, toggle a flag in an environment (after a confirmation), switch the theme, sign out.
 */
export default function CommandPalette({
  open,
  onOpenChange,
  items,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  items: NavItem[];
}) {
  const router = useRouter();
  const org = useOrg();
  const { setTheme } = useTheme();
  const targets = usePaletteTargets(org.slug, open);
  const [pending, setPending] = useState<PaletteFlag | null>(null);
  const base = `/orgs/${org.slug}`;
  const canWrite = can(org.role, 'EDITOR');
  const run = (action: () => void) => {
    onOpenChange(false);
    action();
  };
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-50 bg-black/50" />
        <D.Content className="fixed left-1/2 top-[20%] z-50 w-full max-w-lg -translate-x-1/2 overflow-hidden rounded-xl border bg-popover text-popover-foreground shadow-lg">
          <D.Title className="sr-only">Command palette</D.Title>
          <D.Description className="sr-only">Type to search pages and actions.</D.Description>
          {pending ? (
            <ToggleConfirm
              target={pending}
              onDone={() => {
                setPending(null);
                onOpenChange(false);
              }}
            />
          ) : (
            <Command label="Command palette" className="flex flex-col">
              <Command.Input
                placeholder="Type a page or an action…"
                className="h-12 border-b bg-transparent px-4 text-sm outline-none placeholder:text-muted-foreground"
              />
              <Command.List className="max-h-80 overflow-y-auto p-2">
                <Command.Empty className="p-4 text-center text-sm text-muted-foreground">
                  No match.
                </Command.Empty>
                <Command.Group
                  heading="Go to"
                  className="text-xs text-muted-foreground [&_[cmdk-group-items]]:text-foreground"
                >
                  {items.map(({ href, label, icon: Icon }) => (
                    <Command.Item
                      key={href}
                      value={`go ${label}`}
                      onSelect={() => run(() => router.push(href))}
                      className={itemClass}
                    >
                      <Icon aria-hidden="true" /> {label}
                    </Command.Item>
                  ))}
                </Command.Group>
                {targets.environments.length > 0 && (
                  <Command.Group heading="Environments" className={groupClass}>
                    {targets.environments.map((e) => (
                      <Command.Item
                        key={e.key}
                        value={`environment ${e.key} ${e.name}`}
                        onSelect={() => run(() => router.push(`${base}/environments/${e.key}`))}
                        className={itemClass}
                      >
                        <BoxesIcon aria-hidden="true" /> {e.name}
                      </Command.Item>
                    ))}
                  </Command.Group>
                )}
                {targets.flags.length > 0 && (
                  <Command.Group heading="Flags" className={groupClass}>
                    {targets.flags.slice(0, 500).map((f) => (
                      <Command.Item
                        key={`go ${f.env}/${f.namespace}/${f.flag.key}`}
                        value={`flag ${f.flag.key} ${f.flag.name ?? ''} in ${f.env} ${f.namespace}`}
                        onSelect={() =>
                          run(() =>
                            router.push(
                              `${base}/environments/${f.env}/flags/${f.namespace}/${f.flag.key}`,
                            ),
                          )
                        }
                        className={itemClass}
                      >
                        <FlagIcon aria-hidden="true" /> {f.flag.key}
                        <span className="ml-auto text-xs text-muted-foreground">
                          {f.env} · {f.namespace}
                        </span>
                      </Command.Item>
                    ))}
                  </Command.Group>
                )}
                {targets.segments.length > 0 && (
                  <Command.Group heading="Segments" className={groupClass}>
                    {targets.segments.slice(0, 500).map((s) => (
                      <Command.Item
                        key={`seg ${s.env}/${s.namespace}/${s.key}`}
                        value={`segment ${s.key} ${s.name ?? ''} in ${s.env} ${s.namespace}`}
                        onSelect={() =>
                          run(() =>
                            router.push(
                              `${base}/environments/${s.env}/segments/${s.namespace}/${s.key}`,
                            ),
                          )
                        }
                        className={itemClass}
                      >
                        <UsersRoundIcon aria-hidden="true" /> {s.key}
                        <span className="ml-auto text-xs text-muted-foreground">
                          {s.env} · {s.namespace}
                        </span>
                      </Command.Item>
                    ))}
                  </Command.Group>
                )}
                {canWrite && targets.flags.length > 0 && (
                  <Command.Group heading="Actions" className={groupClass}>
                    {targets.flags.slice(0, 500).map((f) => (
                      <Command.Item
                        key={`toggle ${f.env}/${f.namespace}/${f.flag.key}`}
                        value={`toggle ${f.flag.key} in ${f.env} ${f.namespace}`}
                        onSelect={() => setPending(f)}
                        className={itemClass}
                      >
                        <ToggleLeftIcon aria-hidden="true" /> Toggle {f.flag.key} in {f.env}
                        <span className="ml-auto text-xs text-muted-foreground">
                          now {f.flag.enabled ? 'on' : 'off'}
                        </span>
                      </Command.Item>
                    ))}
                  </Command.Group>
                )}
                <Command.Group
                  heading="Theme"
                  className="text-xs text-muted-foreground [&_[cmdk-group-items]]:text-foreground"
                >
                  <Command.Item
                    value="theme light"
                    onSelect={() => run(() => setTheme('light'))}
                    className={itemClass}
                  >
                    <SunIcon aria-hidden="true" /> Light theme
                  </Command.Item>
                  <Command.Item
                    value="theme dark"
                    onSelect={() => run(() => setTheme('dark'))}
                    className={itemClass}
                  >
                    <MoonIcon aria-hidden="true" /> Dark theme
                  </Command.Item>
                  <Command.Item
                    value="theme system"
                    onSelect={() => run(() => setTheme('system'))}
                    className={itemClass}
                  >
                    <LaptopIcon aria-hidden="true" /> System theme
                  </Command.Item>
                </Command.Group>
                <Command.Group
                  heading="Account"
                  className="text-xs text-muted-foreground [&_[cmdk-group-items]]:text-foreground"
                >
                  <Command.Item
                    value="sign out"
                    onSelect={() => run(() => void signOut())}
                    className={itemClass}
                  >
                    <LogOutIcon aria-hidden="true" /> Sign out
                  </Command.Item>
                </Command.Group>
              </Command.List>
            </Command>
          )}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

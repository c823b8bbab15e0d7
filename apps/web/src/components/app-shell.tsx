'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import {
  BoxesIcon,
  FlagIcon,
  FlaskConicalIcon,
  GitBranchIcon,
  GitCompareArrowsIcon,
  GitPullRequestIcon,
  HistoryIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  ScrollTextIcon,
  SearchIcon,
  ShieldCheckIcon,
  UsersIcon,
  WebhookIcon,
} from 'lucide-react';
import dynamic from 'next/dynamic';
import { useEffect, useState, type ReactNode } from 'react';
import { cn } from '@/lib/utils';
import type { NavItem } from './command-palette';
import { useOrg } from './org-context';
import { ThemeToggle } from './theme-toggle';
import { Button } from './ui/button';
import { UserMenu } from './user-menu';

// cmdk is fetched the first time the palette opens, not with every page.
const CommandPalette = dynamic(() => import('./command-palette'));

function navItems(slug: string): NavItem[] {
  const base = `/orgs/${slug}`;
  return [
    { href: base, label: 'Overview', icon: LayoutDashboardIcon, exact: true },
    { href: `${base}/flags`, label: 'Flags', icon: FlagIcon },
    { href: `${base}/environments`, label: 'Environments', icon: BoxesIcon },
    { href: `${base}/history`, label: 'History', icon: HistoryIcon },
    { href: `${base}/proposals`, label: 'Proposals', icon: GitPullRequestIcon },
    { href: `${base}/promotion`, label: 'Promotion', icon: GitCompareArrowsIcon },
    { href: `${base}/playground`, label: 'Playground', icon: FlaskConicalIcon },
    { href: `${base}/tokens`, label: 'Client tokens', icon: KeyRoundIcon },
    { href: `${base}/members`, label: 'Members', icon: UsersIcon },
    { href: `${base}/repositories`, label: 'Repositories', icon: GitBranchIcon },
    { href: `${base}/settings/sso`, label: 'Single sign-on', icon: ShieldCheckIcon },
    { href: `${base}/settings/webhooks`, label: 'Webhooks', icon: WebhookIcon },
    { href: `${base}/audit`, label: 'Audit log', icon: ScrollTextIcon },
  ];
}

/** Sidebar, top bar (⌘K, theme, user) and the page. */
export function AppShell({ children }: { children: ReactNode }) {
  const org = useOrg();
  const pathname = usePathname();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [paletteUsed, setPaletteUsed] = useState(false);
  const togglePalette = (next: boolean) => {
    setPaletteUsed(true);
    setPaletteOpen(next);
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'k' && (e.metaKey || e.ctrlKey)) {
        e.preventDefault();
        setPaletteUsed(true);
        setPaletteOpen((o) => !o);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const items = navItems(org.slug);
  const onFlagPages = /^\/orgs\/[^/]+\/environments\/[^/]+\/(flags|segments)(\/|$)/.test(pathname);
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2"
      >
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 flex-col border-r bg-muted/30 md:flex">
        <div className="flex h-14 items-center gap-2 border-b px-4">
          <span
            className="flex size-7 items-center justify-center rounded-md bg-primary text-xs font-bold text-primary-foreground"
            aria-hidden="true"
          >
            S
          </span>
          <Link href="/" className="truncate font-semibold" title="Switch organisation">
            {org.name}
          </Link>
        </div>
        <nav aria-label="Organisation" className="flex flex-col gap-0.5 p-2">
          {items.map(({ href, label, icon: Icon, exact }) => {
            // Flags and segments live under an environment's path but belong to "Flags".
            const active = href.endsWith('/flags')
              ? onFlagPages || pathname === href
              : exact
                ? pathname === href
                : (pathname === href || pathname.startsWith(`${href}/`)) && !onFlagPages;
            return (
              <Link
                key={href}
                href={href}
                aria-current={active ? 'page' : undefined}
                className={cn(
                  'flex items-center gap-2 rounded-md px-3 py-2 text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
                  active ? 'bg-accent font-medium' : 'text-muted-foreground',
                )}
              >
                <Icon className="size-4" aria-hidden="true" /> {label}
              </Link>
            );
          })}
        </nav>
        <p className="mt-auto p-4 text-xs text-muted-foreground">
          Your role: <span className="font-medium text-foreground">{org.role.toLowerCase()}</span>
        </p>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center gap-2 border-b px-4">
          <Button
            variant="outline"
            size="sm"
            className="w-64 justify-start text-muted-foreground"
            onClick={() => togglePalette(true)}
          >
            <SearchIcon aria-hidden="true" /> Search or jump to…
            <kbd className="ml-auto rounded border px-1.5 font-mono text-xs">⌘K</kbd>
          </Button>
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu />
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-6xl flex-1 p-6">
          {children}
        </main>
      </div>
      {paletteUsed && (
        <CommandPalette open={paletteOpen} onOpenChange={setPaletteOpen} items={items} />
      )}
    </div>
  );
}

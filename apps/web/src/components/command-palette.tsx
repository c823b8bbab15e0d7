'use client';
import { Command } from 'cmdk';
import { Dialog as D } from 'radix-ui';
import { LaptopIcon, LogOutIcon, MoonIcon, SunIcon, type LucideIcon } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useTheme } from 'next-themes';
import { signOut } from './user-menu';

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  exact?: boolean;
}

const itemClass =
  'flex cursor-default items-center gap-2 rounded-md px-3 py-2 text-sm aria-selected:bg-accent [&_svg]:size-4';

/** ⌘K / Ctrl+K (the shortcut lives in AppShell): jump to a page, switch the theme, sign out. */
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
  const { setTheme } = useTheme();
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
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}

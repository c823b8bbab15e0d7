'use client';
import Link from 'next/link';
import { LogOutIcon, UserIcon } from 'lucide-react';
import { toast } from 'sonner';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import { useSession } from './session';
import { Button } from './ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from './ui/dropdown-menu';

/** Ends the session on the server, then follows the control plane (the IdP's end-session page, or `/`). */
export async function signOut(): Promise<void> {
  try {
    const out = await unwrap(api.POST('/api/v1/auth/logout'));
    window.location.assign(out.redirectTo);
  } catch (e) {
    toast.error(describeError(e));
  }
}

export function UserMenu() {
  const { user } = useSession();
  const initial = (user.name ?? user.email).slice(0, 1).toUpperCase();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={`Account: ${user.email}`}>
          <span className="flex size-7 items-center justify-center rounded-full bg-secondary text-xs font-semibold">
            {initial}
          </span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-56">
        <DropdownMenuLabel className="truncate">{user.email}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserIcon aria-hidden="true" /> Account
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOutIcon aria-hidden="true" /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

'use client';
import { useEffect } from 'react';

/**
 * Asks before leaving a page with unsaved changes: on reload or close (beforeunload) and on
 * in-app links (clicks are checked before Next's router sees them).
 */
export function useUnsavedChanges(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    const onClick = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (!a || a.getAttribute('target') === '_blank') return;
      const url = new URL((a as HTMLAnchorElement).href, window.location.href);
      if (url.pathname === window.location.pathname) return;
      if (!window.confirm('You have unsaved changes. Leave this page and lose them?')) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', onUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);
}

'use client';
import { Button } from '@/components/ui/button';

/** Never a blank page: a server or render failure says so and offers a retry. */
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div role="alert" className="flex max-w-md flex-col items-start gap-3">
        <h1 className="text-2xl font-semibold">Something went wrong</h1>
        <p className="text-muted-foreground">
          The console could not load this page. The control plane may be restarting; try again in a
          moment.
        </p>
        <Button onClick={reset}>Try again</Button>
      </div>
    </main>
  );
}

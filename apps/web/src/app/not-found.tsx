import Link from 'next/link';
import { Button } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="flex max-w-md flex-col items-start gap-3">
        <h1 className="text-2xl font-semibold">Not found</h1>
        <p className="text-muted-foreground">
          This page does not exist, or it belongs to an organisation you are not a member of.
        </p>
        <Button asChild>
          <Link href="/">Back to my organisations</Link>
        </Button>
      </div>
    </main>
  );
}

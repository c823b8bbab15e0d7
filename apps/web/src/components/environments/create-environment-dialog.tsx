'use client';
import dynamic from 'next/dynamic';
import { PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { LoadingRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';

// Radix renders the content only while open, so the form's code is fetched on the first open.
const CreateEnvironmentForm = dynamic(() => import('./create-environment-form'), {
  loading: () => <LoadingRows rows={3} label="Loading the form" />,
});

/** Create an environment: hosted (default) or on a registered external repository. */
export function CreateEnvironmentDialog() {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" /> New environment
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New environment</DialogTitle>
          <DialogDescription>
            Its flags live on a git branch; SDKs reach it at its own URL.
          </DialogDescription>
        </DialogHeader>
        <CreateEnvironmentForm onDone={() => setOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

'use client';
import { useRouter } from 'next/navigation';
import { PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { KEY_PATTERN } from '@switchyard/flags';
import { Field } from '@/components/field';
import { useOrg } from '@/components/org-context';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input, NativeSelect } from '@/components/ui/input';

/**
 * Starts a new flag: the key and type here, then the flag page's editor; nothing is written until
 * the review panel commits it.
 */
export function CreateFlagDialog({ envKey, ns }: { envKey: string; ns: string }) {
  const org = useOrg();
  const router = useRouter();
  const [key, setKey] = useState('');
  const [type, setType] = useState('VARIANT_FLAG_TYPE');
  const [error, setError] = useState<string>();
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" /> New flag
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!KEY_PATTERN.test(key)) {
              setError('Use letters, digits, "-", "_" and "," only.');
              return;
            }
            router.push(`/orgs/${org.slug}/environments/${envKey}/flags/${ns}/${key}?new=${type}`);
          }}
        >
          <DialogHeader>
            <DialogTitle>New flag in {ns}</DialogTitle>
            <DialogDescription>
              You edit it next; it is saved when you commit it in the review panel.
            </DialogDescription>
          </DialogHeader>
          <Field id="new-flag-key" label="Key" error={error}>
            <Input
              id="new-flag-key"
              value={key}
              autoComplete="off"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'new-flag-key-error' : undefined}
              onChange={(e) => {
                setKey(e.target.value);
                setError(undefined);
              }}
            />
          </Field>
          <Field id="new-flag-type" label="Type">
            <NativeSelect id="new-flag-type" value={type} onChange={(e) => setType(e.target.value)}>
              <option value="VARIANT_FLAG_TYPE">Variant</option>
              <option value="BOOLEAN_FLAG_TYPE">Boolean</option>
            </NativeSelect>
          </Field>
          <DialogFooter>
            <Button type="submit">Continue</Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

'use client';
import { useEffect, useRef, useState } from 'react';
import type { Diagnostic, Flag, Segment } from '@switchyard/flags';
import { api, unwrap } from '@/lib/api/client';
import { describeError } from '@/lib/api/errors';
import type { WriteOptions } from './flag-api';
import type { Versioned } from './review-panel';
import { patchSource, type SourceKind, type StoredSource } from './source-text';

/** Reads an object's stored YAML lines at a revision. */
export async function fetchSource(
  org: string,
  env: string,
  ns: string,
  kind: SourceKind,
  key: string,
  revision: string,
): Promise<StoredSource> {
  const query = { revision };
  return kind === 'flags'
    ? unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}/source', {
          params: { path: { org, env, ns, flag: key }, query },
        }),
      )
    : unwrap(
        api.GET('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/segments/{segment}/source', {
          params: { path: { org, env, ns, segment: key }, query },
        }),
      );
}

/** Saves an object's YAML lines verbatim (the server splices exactly their range). */
export function putSource(
  org: string,
  env: string,
  ns: string,
  kind: SourceKind,
  key: string,
  text: string,
  o: WriteOptions,
) {
  const params = {
    query: { message: o.message, ...(o.proposal ? { proposal: o.proposal } : {}) },
    header: { 'if-match': `"${o.revision}"` },
  };
  return kind === 'flags'
    ? unwrap(
        api.PUT('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/flags/{flag}/source', {
          params: { path: { org, env, ns, flag: key }, query: params.query },
          headers: params.header,
          body: { text },
        }),
      )
    : unwrap(
        api.PUT('/api/v1/orgs/{org}/environments/{env}/namespaces/{ns}/segments/{segment}/source', {
          params: { path: { org, env, ns, segment: key }, query: params.query },
          headers: params.header,
          body: { text },
        }),
      );
}

type Value = Flag | Segment;

/**
 * The YAML tab of an existing object: the stored lines at the base revision, kept two-way with the
 * form's draft. Form edits are patched into the text (comments stay); valid text edits become the
 * draft. Once the tab was opened, saving sends the text (`text()`), so comments added in it are
 * committed as written; otherwise the form's value is saved.
 */
export function useYamlSource<T extends Value>(o: {
  org: string;
  env: string;
  ns: string;
  kind: SourceKind;
  objectKey: string;
  base: Versioned<T> | undefined;
  draft: T | undefined;
  active: boolean;
  validate: (src: StoredSource, text: string) => { value?: T | undefined; errors: Diagnostic[] };
  onValue: (v: T) => void;
}) {
  const [src, setSrc] = useState<StoredSource>();
  // The text as last edited, and the value it holds (undefined while it does not validate).
  const [edited, setEdited] = useState<{ text: string; value: T | undefined }>();
  const [errors, setErrors] = useState<Diagnostic[]>([]);
  const [loadError, setLoadError] = useState<string>();
  const revision = o.base?.revision;
  const exists = o.base?.value !== undefined;
  const latest = useRef(o);
  latest.current = o;

  // A new base revision (a commit, someone else's commit, a re-apply) starts from its stored text.
  useEffect(() => {
    setSrc(undefined);
    setEdited(undefined);
    setErrors([]);
    setLoadError(undefined);
  }, [revision]);
  useEffect(() => {
    if (!o.active || !exists || revision === undefined || src?.revision === revision) return;
    let live = true;
    fetchSource(o.org, o.env, o.ns, o.kind, o.objectKey, revision).then(
      (s) => live && setSrc(s),
      (e: unknown) => live && setLoadError(describeError(e)),
    );
    return () => {
      live = false;
    };
  }, [o.active, exists, revision, src?.revision, o.org, o.env, o.ns, o.kind, o.objectKey]);

  /** The text holding the current draft: the edited (or stored) text, patched where the form changed it. */
  const text = (): string | undefined => {
    const { base, draft, ns, kind } = latest.current;
    if (!src || !base?.value || !draft) return undefined;
    const from = edited ? edited.value : base.value;
    const start = edited ? edited.text : src.text;
    if (from === undefined) return start;
    return patchSource(ns, kind, src, start, from, draft);
  };
  const edit = (next: string) => {
    if (!src) return;
    const r = latest.current.validate(src, next);
    setErrors(r.errors);
    setEdited({ text: next, value: r.value });
    if (r.value) latest.current.onValue(r.value);
  };
  const current = text();
  return {
    /** Undefined until loaded (or for objects not stored yet). */
    source: src,
    loadError,
    text: current,
    errors,
    edit,
    /** The text to save verbatim, when the tab holds one that differs from the stored lines. */
    textToSave: src && edited && current !== undefined ? current : undefined,
    /** True when the text differs from the stored lines (a comment counts). */
    textChanged: src !== undefined && current !== undefined && current !== src.text,
    /** YAML for the review diff: the stored lines before, the text to save after. */
    reviewYaml: (v: T | undefined): string | undefined =>
      src === undefined || current === undefined
        ? undefined
        : v === o.base?.value
          ? src.text
          : v === o.draft
            ? current
            : undefined,
  };
}

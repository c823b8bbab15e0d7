import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagsFixture, variantFlag, type FlagsFixture } from './flags-helpers.js';

let f: FlagsFixture;
beforeAll(async () => {
  f = await flagsFixture([{ key: 'prod', protected: true }]);
});
afterAll(async () => {
  await f.t.close();
});

const ifMatch = (rev: string) => ({ 'if-match': `"${rev}"` });

describe('proposal review', () => {
  it('request-changes is pinned to the reviewed revision and withdrawn when the proposal changes', async () => {
    const base = f.base('prod');
    const p = await f.t.call(f.editor, {
      method: 'POST',
      url: `${base}/proposals`,
      body: { title: 'Launch' },
    });
    expect(p.status).toBe(201);
    const id = p.json.id as string;
    const put = async (description: string, rev: string) => {
      const res = await f.t.call(f.editor, {
        method: 'PUT',
        url: `${base}/namespaces/default/flags/checkout?proposal=${id}`,
        headers: ifMatch(rev),
        body: variantFlag('checkout', { description }),
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return res.json.revision as string;
    };
    const r1 = await put('first try', p.json.revision as string);
    const url = `${base}/proposals/${id}/request-changes`;
    const own = await f.t.call(f.editor, {
      method: 'POST',
      url,
      headers: ifMatch(r1),
      body: { comment: 'x' },
    });
    expect(own.status).toBe(403);
    const stale = await f.t.call(f.editor2, {
      method: 'POST',
      url,
      headers: ifMatch(p.json.revision as string),
      body: { comment: 'x' },
    });
    expect(stale.status).toBe(409);
    const empty = await f.t.call(f.editor2, {
      method: 'POST',
      url,
      headers: ifMatch(r1),
      body: { comment: '' },
    });
    expect(empty.status).toBe(400);
    const req = await f.t.call(f.editor2, {
      method: 'POST',
      url,
      headers: ifMatch(r1),
      body: { comment: 'Describe it better' },
    });
    expect(req.status, JSON.stringify(req.json)).toBe(200);
    expect(req.json.changeRequests).toMatchObject([
      { email: 'editor2@example.com', revision: r1, comment: 'Describe it better' },
    ]);
    // The author changes the proposal: the request is withdrawn, and a second member approves.
    const r2 = await put('better description', r1);
    const view = await f.t.call(f.viewer, { method: 'GET', url: `${base}/proposals/${id}` });
    expect(view.json.revision).toBe(r2);
    expect(view.json.changeRequests).toEqual([]);
    const ok = await f.t.call(f.editor2, {
      method: 'POST',
      url: `${base}/proposals/${id}/approve`,
      headers: ifMatch(r2),
    });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);
    const audit = await f.t.db.auditEvent.findFirst({
      where: { action: 'proposal.request_changes' },
    });
    expect(audit?.targetId).toBe(id);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnvironment } from '@switchyard/flags';
import type { Caller } from '../harness.js';
import { flagsFixture, type FlagsFixture } from './flags-helpers.js';

/**
 * L6: many editors write the same environment at once for a bounded time. Each editor owns one
 * flag and keeps writing a counter into its description: every accepted write must be in the
 * history, every refused one must be a 409, and the final tree must hold each editor's last
 * accepted value (no lost update). Nothing here depends on speed, so it runs with the other
 * untimed files; a longer run: `L6_DURATION_MS=60000 npx vitest run --project control-plane <this file>`.
 */
const EDITORS = 50;
/**
 * Accepted edits needed before stopping: enough to interleave several editors' commits. Not a
 * throughput bound: on a loaded 2-core machine 50 editors got 9 edits through in 68 s.
 */
const MIN_ACCEPTED = 5;
const DURATION_MS = Number(process.env['L6_DURATION_MS'] ?? 8_000);

let f: FlagsFixture;
beforeAll(async () => {
  f = await flagsFixture();
});
afterAll(async () => {
  await f.t.close();
});

describe('L6: concurrent editors', () => {
  it(
    `${EDITORS} editors for ${DURATION_MS / 1000}s: accepted edits all in history, rejected all 409, none lost`,
    { timeout: DURATION_MS + 90_000 },
    async () => {
      const org = await f.t.db.organisation.findUniqueOrThrow({ where: { slug: 'home' } });
      const callers: Caller[] = [];
      for (let i = 0; i < EDITORS; i++) {
        const u = await f.t.user(`l6-${i}@example.com`);
        await f.t.db.membership.create({ data: { orgId: org.id, userId: u.id, role: 'EDITOR' } });
        callers.push(u.pat);
      }
      const accepted: { editor: number; n: number; revision: string }[] = [];
      const other: number[] = [];
      let conflicts = 0;
      const deadline = Date.now() + DURATION_MS;
      const hardStop = deadline + 60_000;
      const editor = async (i: number) => {
        let n = 0;
        let rev = await f.revision('prod');
        // Until the time is up and enough edits went through to mean something (a loaded
        // machine commits more slowly), within a hard cap.
        while (Date.now() < hardStop && (Date.now() < deadline || accepted.length < MIN_ACCEPTED)) {
          n += 1;
          const body = { key: `e${i}`, name: `Editor ${i}`, description: `write ${n}` };
          const res = await f.t.call(callers[i]!, {
            method: 'PUT',
            url: `${f.base('prod')}/namespaces/default/flags/e${i}`,
            headers: { 'if-match': `"${rev}"` },
            body,
          });
          if (res.status === 200) {
            accepted.push({ editor: i, n, revision: res.json.revision });
            rev = res.json.revision;
          } else if (res.status === 409) {
            conflicts += 1;
            rev = res.json.currentRevision;
            // A client reloads before trying again (jitter keeps 50 editors from moving in lockstep).
            await new Promise((r) => setTimeout(r, 5 + Math.random() * 45));
          } else other.push(res.status);
        }
      };
      await Promise.all(callers.map((_, i) => editor(i)));

      expect(other, 'every refused write is a 409').toEqual([]);
      expect(accepted.length).toBeGreaterThanOrEqual(MIN_ACCEPTED);
      const store = await f.store('prod');
      const head = (await store.head('main'))!;
      const history = new Set((await store.git(['rev-list', head])).toString().trim().split('\n'));
      expect(
        accepted.filter((a) => !history.has(a.revision)),
        'accepted edits missing from history',
      ).toEqual([]);
      // One commit per accepted edit (+ the initial layout commit).
      expect(history.size).toBe(accepted.length + 1);
      const loaded = loadEnvironment(await store.readTree(head));
      if (!loaded.ok) throw new Error('final tree does not load');
      const flags = new Map(
        loaded.environment.namespaces[0]!.flags.map((fl) => [fl.key, fl.description]),
      );
      for (let i = 0; i < EDITORS; i++) {
        const last = accepted.filter((a) => a.editor === i).at(-1);
        if (last) expect(flags.get(`e${i}`), `editor ${i}`).toBe(`write ${last.n}`);
      }
      console.info(
        `L6: ${accepted.length} accepted, ${conflicts} conflicts (409) in ${DURATION_MS} ms`,
      );
    },
  );
});

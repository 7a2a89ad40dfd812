/**
 * B.5: a 200-character search term with 8 wildcards (% and _) over 1,000 and 10,000 tasks with
 * 10,000-character descriptions, through search_tasks and query_tasks q, over stdio. Two kinds of text:
 * prose-like words, and repetitive text (10,000 x's, what a size test or an attacker stores), on which
 * SQLite's LIKE backtracks.
 */
import path from 'node:path';
import { afterAll, beforeAll, it } from 'vitest';
import { tempHome } from '../../helpers/taskmcp-harness.js';
import { builds, ms, stdioSession, table, time } from './lib.js';
import { prng, seedProject, text } from './seed.js';

let home: ReturnType<typeof tempHome>;
beforeAll(() => {
  home = tempHome('taskmcp-perf-search-');
});
afterAll(() => home.cleanup());

/** 200 characters of description-like text with 8 wildcards at spread positions. */
function pattern(seed: number): string {
  const chars = [...text(prng(seed), 200)];
  for (let k = 0; k < 8; k++) chars[12 + k * 23] = k % 2 ? '_' : '%';
  return chars.join('');
}

const REPETITIVE_TERM = `${'x'.repeat(23)}_`.repeat(8).slice(0, 192) + 'y'.repeat(8);

it('search cost, before/after', async () => {
  const rows: Array<Record<string, string | number>> = [];
  for (const kind of ['words', 'repetitive'] as const) {
    for (const n of [1000, 10000]) {
      const store = path.join(home.dir, `s-${kind}-${n}`);
      const ws = seedProject(store, home.dir, `search-${kind}-${n}`, { tasks: n, descriptionChars: 10_000, repetitive: kind === 'repetitive' });
      const term = kind === 'words' ? pattern(7) : REPETITIVE_TERM;
      for (const b of builds()) {
        const s = await stdioSession(b.dist, store);
        try {
          // The baseline can take minutes per search on repetitive text: one run there.
          const slow = b.label === 'before' && (kind === 'repetitive' || n > 1000);
          const runs = slow ? 1 : 10;
          const found = (await s.call('search_tasks', { workspace_path: ws, search_term: term, limit: 10 })).total_count;
          const st = await time(runs, () => s.call('search_tasks', { workspace_path: ws, search_term: term, limit: 10 }), slow ? 0 : 2);
          rows.push({ build: b.label, text: kind, tasks: n, tool: 'search_tasks', matches: found, timing: ms(st) });
          if (b.label === 'after') {
            const qt = await time(runs, () => s.call('query_tasks', { workspace_path: ws, q: term, limit: 10 }));
            rows.push({ build: b.label, text: kind, tasks: n, tool: 'query_tasks q', matches: found, timing: ms(qt) });
          }
        } finally {
          await s.close();
        }
      }
    }
  }
  table('Search: 200-character term, 8 wildcards, 10,000-character descriptions (stdio)', rows);
});

it('everyday search: short terms over 100,000 tasks with 200-character descriptions', async () => {
  const rows: Array<Record<string, string | number>> = [];
  const store = path.join(home.dir, 's-short');
  const ws = seedProject(store, home.dir, 'search-short', { tasks: 100_000 });
  for (const b of builds()) {
    const s = await stdioSession(b.dist, store);
    try {
      for (const term of ['login', 'errors graceful', 'x_y']) {
        const t = await time(10, () => s.call('search_tasks', { workspace_path: ws, search_term: term, limit: 50 }), 2);
        rows.push({ build: b.label, term, timing: ms(t) });
      }
    } finally {
      await s.close();
    }
  }
  table('Search: short terms, 100,000 tasks with 200-character descriptions (stdio)', rows);
});

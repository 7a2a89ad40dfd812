/**
 * tv_like (src/taskmcp/tools/search.ts) answers exactly what SQLite's `value LIKE '%term%'` answers:
 * randomized terms and values over an alphabet with wildcards, case pairs, non-ASCII and astral characters,
 * short and long (multi-word) segments, checked against a real SQLite.
 */
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compileLike, likeFilter } from '../../src/taskmcp/tools/search.js';
import { prng } from '../taskmcp/perf/seed.js';

const db = new Database(':memory:');
const like = db.prepare('SELECT ? LIKE ? AS m').pluck();
afterAll(() => db.close());

function randomString(rand: () => number, alphabet: string[], max: number): string {
  return Array.from({ length: Math.floor(rand() * (max + 1)) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
}

describe('compileLike', () => {
  it('agrees with SQLite LIKE on random short terms and values', () => {
    const rand = prng(7);
    const alphabet = ['a', 'b', 'A', 'B', 'é', 'É', 'ß', '😀', '%', '_', ' ', 'x', '.', '*'];
    for (let k = 0; k < 20000; k++) {
      const value = randomString(rand, alphabet, 12);
      const term = randomString(rand, alphabet, 6);
      expect(compileLike(term)(value), `${JSON.stringify(value)} LIKE %${JSON.stringify(term)}%`).toBe(like.get(value, `%${term}%`) === 1);
    }
  });

  it('agrees on segments longer than one 32-bit word', () => {
    const rand = prng(11);
    for (let k = 0; k < 3000; k++) {
      const value = randomString(rand, ['a', 'b', 'A'], 120);
      const term = randomString(rand, ['a', 'b', 'B', '_', '_'], 90).padStart(33, 'a');
      expect(compileLike(term)(value)).toBe(like.get(value, `%${term}%`) === 1);
    }
  });

  it('handles the inputs that make SQLite backtrack, NULL and non-text values', () => {
    const xs = 'x'.repeat(10_000);
    expect(compileLike(`${'x'.repeat(23)}_`.repeat(8).slice(0, 192) + 'y'.repeat(8))(xs)).toBe(false);
    expect(compileLike(`${'x'.repeat(23)}_`.repeat(8))(xs)).toBe(true);
    expect(compileLike('x%' + 'x'.repeat(197) + 'y')(`${xs}y`)).toBe(true);
    expect(compileLike('a')(null)).toBe(false);
    expect(compileLike('2')(123)).toBe(like.get(123, '%2%') === 1);
    expect(compileLike('')('')).toBe(true);
    expect(compileLike('%')(null)).toBe(false);
  });

  it('likeFilter: SQLite LIKE for short values, tv_like for long ones, the same answers', () => {
    const f = likeFilter('a_b', ['title', 'description']);
    expect(f.sql).toBe('((CASE WHEN octet_length(title) * ? <= 50000 THEN title LIKE ? ELSE tv_like(title, ?) END) OR '
      + '(CASE WHEN octet_length(description) * ? <= 50000 THEN description LIKE ? ELSE tv_like(description, ?) END))');
    expect(f.params).toEqual([5, '%a_b%', 'a_b', 5, '%a_b%', 'a_b']);
    const mem = new Database(':memory:');
    mem.function('tv_like', (v: unknown, t: unknown) => (compileLike(String(t))(v) ? 1 : 0));
    mem.exec('CREATE TABLE t (title TEXT, description TEXT)');
    const ins = mem.prepare('INSERT INTO t VALUES (?, ?)');
    const rand = prng(3);
    for (let i = 0; i < 300; i++) ins.run(randomString(rand, ['a', 'B', 'b', '_'], 8), i % 3 ? randomString(rand, ['a', 'b', 'A'], 25_000) : null);
    for (const term of ['a_b', 'ab%ba', 'bbb', 'A', '%', 'b_a_b_a']) {
      const g = likeFilter(term, ['title', 'description']);
      const ours = mem.prepare(`SELECT rowid FROM t WHERE ${g.sql}`).pluck().all(...g.params);
      const native = mem.prepare('SELECT rowid FROM t WHERE title LIKE ? OR description LIKE ?').pluck().all(`%${term}%`, `%${term}%`);
      expect(ours, term).toEqual(native);
    }
    mem.close();
  });
});

/**
 * task-mcp's substring search, `col LIKE '%term%'` (no ESCAPE: `%` and `_` in the term are wildcards;
 * case-insensitive for ASCII letters only), evaluated with a bounded cost. SQLite's LIKE backtracks: a long
 * term over long, repetitive text costs text length times term length per row (4-9 ms per 10,000-character
 * row, seconds per search). Short values keep SQLite's LIKE (cheapest there); for long ones tv_like() gives
 * the same answer in time linear in the text:
 * 1. every literal fragment of the term must occur (a literal RegExp search; rejects most rows cheaply, and
 *    is the whole answer for a term without wildcards);
 * 2. then the `%`-separated segments are matched greedily left to right, each found at its leftmost
 *    position by a bit-parallel (shift-and) scan in which `_` matches any one character. Leftmost-first
 *    is exact for segments of fixed length, which LIKE segments are.
 * See docs/task-mcp-compatibility.md, "Search".
 */

interface Segment {
  /** Length in code points. */
  length: number;
  words: number;
  /** Bits of the positions holding `_` (any character matches them). */
  wild: Uint32Array;
  /** Per folded code point (ASCII in a flat table), the bits of positions it satisfies, wildcards included. */
  ascii: Uint32Array[];
  other: Map<number, Uint32Array>;
}

export interface LikeMatcher {
  (text: unknown): boolean;
}

const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

function compileSegment(raw: string): Segment {
  const chars = [...raw];
  const words = Math.ceil(chars.length / 32);
  const wild = new Uint32Array(words);
  chars.forEach((ch, i) => {
    if (ch === '_') wild[i >> 5] |= 1 << (i & 31);
  });
  const ascii: Uint32Array[] = Array.from({ length: 128 }, () => wild);
  const other = new Map<number, Uint32Array>();
  chars.forEach((ch, i) => {
    if (ch === '_') return;
    const c = fold(ch.codePointAt(0)!);
    let m = c < 128 ? (ascii[c] === wild ? undefined : ascii[c]) : other.get(c);
    if (!m) {
      m = Uint32Array.from(wild);
      if (c < 128) ascii[c] = m;
      else other.set(c, m);
    }
    m[i >> 5] |= 1 << (i & 31);
  });
  return { length: chars.length, words, wild, ascii, other };
}

/** End index (exclusive) of the leftmost match of `seg` in `text` at or after `from`, or -1. */
function findSegment(text: string, from: number, seg: Segment): number {
  const n = text.length;
  const last = seg.length - 1;
  const lastWord = last >> 5;
  const lastBit = 1 << (last & 31);
  if (seg.words === 1) {
    // the common case (segments up to 32 characters): one machine word of state
    let d = 0;
    for (let i = from; i < n; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) c = text.codePointAt(i++)!;
      const b = c < 128 ? seg.ascii[fold(c)] : seg.other.get(c) ?? seg.wild;
      d = ((d << 1) | 1) & b[0];
      if (d & lastBit) return i + 1;
    }
    return -1;
  }
  const d = new Uint32Array(seg.words);
  for (let i = from; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) c = text.codePointAt(i++)!;
    const b = c < 128 ? seg.ascii[fold(c)] : seg.other.get(c) ?? seg.wild;
    let carry = 1;
    for (let w = 0; w < seg.words; w++) {
      const old = d[w];
      d[w] = ((old << 1) | carry) & b[w];
      carry = old >>> 31;
    }
    if (d[lastWord] & lastBit) return i + 1;
  }
  return -1;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `value LIKE '%term%'` with SQLite's semantics, in time linear in the value. */
export function compileLike(term: string): LikeMatcher {
  const segments = term.split('%').filter((s) => s !== '').map(compileSegment);
  // Necessary condition: every ASCII fragment occurs, ASCII case-insensitively. A RegExp with the `i` flag
  // and without `u` folds exactly that way for ASCII (no non-ASCII character folds to an ASCII one).
  const fragments = [...new Set(term.split(/[%_]/).filter((f) => f !== '' && !/[^\x00-\x7f]/.test(f)))]
    .sort((a, b) => b.length - a.length)
    .map((f) => new RegExp(escapeRegExp(f), 'i'));
  // A plain ASCII term is its only fragment: the fragment test is the whole answer.
  const plain = !/[%_]/.test(term) && fragments.length === 1;
  return (raw: unknown) => {
    if (raw === null || raw === undefined) return false;
    const value = typeof raw === 'string' ? raw : String(raw);
    for (const f of fragments) if (!f.test(value)) return false;
    if (plain) return true;
    let pos = 0;
    for (const seg of segments) {
      pos = findSegment(value, pos, seg);
      if (pos < 0) return false;
    }
    return true;
  };
}

const MATCHERS_MAX = 256;
const matchers = new Map<string, LikeMatcher>();

/** The compiled matcher of a term (cached: the same term is evaluated once per row). */
export function likeMatcher(term: string): LikeMatcher {
  let m = matchers.get(term);
  if (!m) {
    if (matchers.size >= MATCHERS_MAX) matchers.clear();
    m = compileLike(term);
    matchers.set(term, m);
  }
  return m;
}

export interface SqlFilter {
  sql: string;
  params: unknown[];
}

/**
 * Below this many (bytes of value × characters of pattern), SQLite's own LIKE is cheaper than a call
 * into JavaScript even in its worst case (about 0.05 ms); above it, tv_like() bounds the cost.
 */
export const NATIVE_LIKE_BUDGET = 50_000;

/**
 * `(colA LIKE '%term%' OR colB LIKE '%term%' …)`: per value, SQLite's LIKE when its worst case is small
 * (short values, the usual titles and names), tv_like() otherwise (registered by sql-functions.ts).
 */
export function likeFilter(term: string, columns: string[]): SqlFilter {
  const pattern = `%${term}%`;
  const width = [...pattern].length;
  const params: unknown[] = [];
  const parts = columns.map((col) => {
    params.push(width, pattern, term);
    return `(CASE WHEN octet_length(${col}) * ? <= ${NATIVE_LIKE_BUDGET} THEN ${col} LIKE ? ELSE tv_like(${col}, ?) END)`;
  });
  return { sql: `(${parts.join(' OR ')})`, params };
}

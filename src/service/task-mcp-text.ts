/**
 * task-mcp's text semantics, for computing in the service what task-mcp computes in SQL: SQLite `LIKE`
 * (ASCII case-insensitive; `%` any run, `_` one character; no escape), SQLite NOCASE ordering, and its
 * timestamps (local wall-clock time without offset, compared as strings).
 */

const likeCache = new Map<string, RegExp>();

/** SQLite `LIKE '%<q>%'`: does `text` contain `q`, with task-mcp's wildcards and case rules? */
export function likeContains(text: unknown, q: string): boolean {
  if (typeof text !== 'string') return false;
  let re = likeCache.get(q);
  if (!re) {
    let source = '';
    for (const ch of q) {
      if (ch === '%') source += '[\\s\\S]*';
      else if (ch === '_') source += '[\\s\\S]';
      else if (/[a-zA-Z]/.test(ch)) source += `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
      else source += /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
    }
    re = new RegExp(source, 'u');
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(q, re);
  }
  return re.test(text);
}

/** ASCII-only lowercase, as SQLite's NOCASE collation folds. */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** SQLite `COLLATE NOCASE` ordering: ASCII case folded, then UTF-8 byte order. */
export function compareNoCase(a: string, b: string): number {
  return Buffer.compare(Buffer.from(asciiLower(a), 'utf8'), Buffer.from(asciiLower(b), 'utf8'));
}

const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * An ISO 8601 instant as task-mcp stores time — this machine's local wall clock — to the millisecond:
 * `YYYY-MM-DDTHH:MM:SS.mmm`. Stored values carry microseconds (`.ffffff`); comparing with this prefix
 * as strings compares at the API's own precision, so a task's own `created_at` as a bound excludes
 * the task: `> bound + '999'` is "after this millisecond", `< bound` "before it", `>= bound` "at or after".
 */
export function toStoredLocalTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${iso}`);
  return (
    `${String(date.getFullYear()).padStart(4, '0')}-${p2(date.getMonth() + 1)}-${p2(date.getDate())}` +
    `T${p2(date.getHours())}:${p2(date.getMinutes())}:${p2(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`
  );
}

/** The smallest stored value after every microsecond of a millisecond bound. */
export const END_OF_MILLISECOND = '999';

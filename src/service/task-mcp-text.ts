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
 * An ISO 8601 instant as task-mcp stores time: this machine's local wall clock,
 * `YYYY-MM-DDTHH:MM:SS.ffffff` (microseconds kept from the input), so it compares with stored values
 * as strings.
 */
export function toStoredLocalTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a date: ${iso}`);
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? '';
  const micros = fraction.length > 3 ? fraction.slice(3, 6).padEnd(3, '0') : '000';
  return (
    `${String(date.getFullYear()).padStart(4, '0')}-${p2(date.getMonth() + 1)}-${p2(date.getDate())}` +
    `T${p2(date.getHours())}:${p2(date.getMinutes())}:${p2(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}${micros}`
  );
}

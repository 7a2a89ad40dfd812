/**
 * task-mcp's substring search: `col LIKE '%term%'` (no ESCAPE, so `%` and `_` in the term are wildcards;
 * ASCII case-insensitive). SQLite's LIKE can cost time proportional to text length times pattern length
 * per row, so a long pattern with wildcards over long descriptions gets slow. Every literal fragment of the
 * pattern must occur in a matching value, so `instr(lower(col), fragment)` (lower() folds ASCII only, like
 * LIKE) is checked first and LIKE runs only on the rows that contain all fragments: same result, bounded
 * cost. See docs/task-mcp-compatibility.md, "Search".
 */

const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** The pattern's literal pieces between wildcards, lowercased, longest (most selective) first. */
export function literalFragments(term: string): string[] {
  const pieces = new Set(term.split(/[%_]/).filter((p) => p !== '').map(asciiLower));
  return [...pieces].sort((a, b) => b.length - a.length);
}

export interface SqlFilter {
  sql: string;
  params: unknown[];
}

/** `(colA LIKE '%term%' OR colB LIKE '%term%' …)`, each LIKE guarded by the fragment prefilter. */
export function likeFilter(term: string, columns: string[]): SqlFilter {
  const pattern = `%${term}%`;
  const fragments = literalFragments(term);
  const params: unknown[] = [];
  const parts = columns.map((col) => {
    const checks = fragments.map((f) => {
      params.push(f);
      return `instr(lower(${col}), ?) > 0`;
    });
    params.push(pattern);
    return checks.length ? `(${checks.join(' AND ')} AND ${col} LIKE ?)` : `${col} LIKE ?`;
  });
  return { sql: `(${parts.join(' OR ')})`, params };
}

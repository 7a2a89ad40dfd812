/**
 * A validator that accepts exactly what Python's `json.loads` accepts (incl. NaN/Infinity) and reports
 * the same JSONDecodeError text ("Expecting value: line 1 column 1 (char 0)"), because task-mcp puts that
 * text into the "metadata must be valid JSON: …" error. Positions are in code points like Python's.
 */

class DecodeError extends Error {
  constructor(msg: string, readonly pos: number) {
    super(msg);
  }
}
class StopIteration extends Error {
  constructor(readonly pos: number) {
    super('stop');
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /^(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?/;

function skipWs(s: string[], i: number): number {
  while (i < s.length && WS.has(s[i])) i++;
  return i;
}

function startsAt(s: string[], i: number, word: string): boolean {
  return s.slice(i, i + word.length).join('') === word;
}

function scanString(s: string[], end: number): number {
  const begin = end - 1;
  for (;;) {
    let i = end;
    while (i < s.length && s[i] !== '"' && s[i] !== '\\' && s[i].codePointAt(0)! >= 0x20) i++;
    if (i >= s.length) throw new DecodeError('Unterminated string starting at', begin);
    const term = s[i];
    end = i + 1;
    if (term === '"') return end;
    if (term !== '\\') {
      const repr = term === '\n' ? "'\\n'" : term === '\t' ? "'\\t'" : term === '\r' ? "'\\r'" : `'\\x${term.codePointAt(0)!.toString(16).padStart(2, '0')}'`;
      throw new DecodeError(`Invalid control character ${repr} at`, i);
    }
    if (end >= s.length) throw new DecodeError('Unterminated string starting at', begin);
    const esc = s[end];
    if (esc !== 'u') {
      if (!'"\\/bfnrt'.includes(esc)) throw new DecodeError(`Invalid \\escape: '${esc === "'" ? "\\'" : esc}'`, end);
      end += 1;
    } else {
      const hex = s.slice(end + 1, end + 5).join('');
      if (hex.length !== 4 || !/^[0-9a-fA-F]{4}$/.test(hex)) throw new DecodeError('Invalid \\uXXXX escape', end - 1);
      end += 5;
    }
  }
}

function scanOnce(s: string[], idx: number): number {
  if (idx >= s.length) throw new StopIteration(idx);
  const c = s[idx];
  if (c === '"') return scanString(s, idx + 1);
  if (c === '{') return parseObject(s, idx + 1);
  if (c === '[') return parseArray(s, idx + 1);
  if (c === 'n' && startsAt(s, idx, 'null')) return idx + 4;
  if (c === 't' && startsAt(s, idx, 'true')) return idx + 4;
  if (c === 'f' && startsAt(s, idx, 'false')) return idx + 5;
  const m = NUMBER.exec(s.slice(idx, idx + 400).join(''));
  if (m) return idx + [...m[0]].length;
  if (c === 'N' && startsAt(s, idx, 'NaN')) return idx + 3;
  if (c === 'I' && startsAt(s, idx, 'Infinity')) return idx + 8;
  if (c === '-' && startsAt(s, idx, '-Infinity')) return idx + 9;
  throw new StopIteration(idx);
}

function value(s: string[], idx: number): number {
  try {
    return scanOnce(s, idx);
  } catch (e) {
    if (e instanceof StopIteration) throw new DecodeError('Expecting value', e.pos);
    throw e;
  }
}

function parseObject(s: string[], end: number): number {
  let next = s[end] ?? '';
  if (next !== '"') {
    if (WS.has(next)) {
      end = skipWs(s, end);
      next = s[end] ?? '';
    }
    if (next === '}') return end + 1;
    if (next !== '"') throw new DecodeError('Expecting property name enclosed in double quotes', end);
  }
  end += 1;
  for (;;) {
    end = scanString(s, end);
    if (s[end] !== ':') {
      end = skipWs(s, end);
      if (s[end] !== ':') throw new DecodeError("Expecting ':' delimiter", end);
    }
    end += 1;
    end = skipWs(s, end);
    end = value(s, end);
    end = skipWs(s, end);
    const nc = s[end] ?? '';
    end += 1;
    if (nc === '}') return end;
    if (nc !== ',') throw new DecodeError("Expecting ',' delimiter", end - 1);
    end = skipWs(s, end);
    const q = s[end] ?? '';
    end += 1;
    if (q !== '"') throw new DecodeError('Expecting property name enclosed in double quotes', end - 1);
  }
}

function parseArray(s: string[], end: number): number {
  end = skipWs(s, end);
  if (s[end] === ']') return end + 1;
  for (;;) {
    end = value(s, end);
    end = skipWs(s, end);
    const nc = s[end] ?? '';
    end += 1;
    if (nc === ']') return end;
    if (nc !== ',') throw new DecodeError("Expecting ',' delimiter", end - 1);
    end = skipWs(s, end);
  }
}

function position(s: string[], pos: number): string {
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < pos && i < s.length; i++) {
    if (s[i] === '\n') {
      line++;
      lastNl = i;
    }
  }
  return `line ${line} column ${pos - lastNl} (char ${pos})`;
}

/** Returns null when Python's json.loads accepts `text`, else the JSONDecodeError message. */
export function pyJsonError(text: string): string | null {
  const s = [...text];
  try {
    if (s[0] === '\ufeff') throw new DecodeError('Unexpected UTF-8 BOM (decode using utf-8-sig)', 0);
    const start = skipWs(s, 0);
    const end = skipWs(s, value(s, start));
    if (end !== s.length) throw new DecodeError('Extra data', end);
    return null;
  } catch (e) {
    if (e instanceof DecodeError) return `${e.message}: ${position(s, e.pos)}`;
    throw e;
  }
}

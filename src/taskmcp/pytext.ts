/**
 * Python text semantics that decide stored data (tags, limits, JSON-in-TEXT) and error texts.
 * task-mcp is Python: its lower()/split()/len()/json.dumps/repr behave differently from JS builtins.
 */

/** Characters Python's str.split() (no argument) treats as whitespace (Py_UNICODE_ISSPACE). Unlike JS \s it
 *  includes \x1c-\x1f and \x85, and excludes \ufeff. */
const PY_WS = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_WS_RUN = new RegExp(`[${PY_WS}]+`, 'u');
const PY_WS_ONLY = new RegExp(`^[${PY_WS}]*$`, 'u');

/** Python `s.split()`. */
export function pySplit(s: string): string[] {
  return s.split(PY_WS_RUN).filter((p) => p !== '');
}

/** Python `not s.strip()` (strip() with no argument uses the same whitespace set). */
export function pyIsBlank(s: string): boolean {
  return PY_WS_ONLY.test(s);
}

/** Python `str.lower()`. JS toLowerCase applies the same full Unicode mapping (incl. final sigma). */
export function pyLower(s: string): string {
  return s.toLowerCase();
}

const SURROGATE = /[\ud800-\udfff]/;

/** Python `len(s)`: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  if (!SURROGATE.test(s)) return s.length; // the common case, without walking the string
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** task-mcp's tag normalisation: lower, split on whitespace, join with single spaces. */
export function normalizeTags(tags: string): string {
  return pySplit(pyLower(tags)).join(' ');
}

/** A value that Python holds as a float: printed `75.0`, not `75`, in JSON text and reprs. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

/** Python `repr(float)`: shortest round-trip digits, scientific when exponent < -4 or >= 16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -5 + 1 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
      const frac = digits.length > exp + 1 ? digits.slice(exp + 1) : '0';
      out = `${intPart}.${frac}`;
    } else {
      out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    }
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    out = `${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return neg ? `-${out}` : out;
}

function asciiEscape(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Python `json.dumps(v)` with default settings: ", " and ": " separators, ensure_ascii (\uXXXX, surrogate
 * pairs for astral characters), floats as repr. Used for JSON stored in TEXT columns (data compatibility).
 */
export function pyJsonDumps(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : pyFloatRepr(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return asciiEscape(v);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(', ')}]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, val]) => `${asciiEscape(k)}: ${pyJsonDumps(val)}`);
    return `{${parts.join(', ')}}`;
  }
  return asciiEscape(String(v));
}

/**
 * FastMCP's text content: compact JSON (pydantic_core.to_json), non-ASCII raw, floats like `75.0`.
 * Keys keep insertion order (database column order).
 */
export function compactJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(compactJson).join(',')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, val]) => `${JSON.stringify(k)}:${compactJson(val)}`)
      .join(',')}}`;
  }
  return JSON.stringify(String(v));
}

/** Replace PyFloat markers by plain numbers (for structuredContent, which the transport JSON-encodes). */
export function toPlain<T>(v: T): T {
  if (v instanceof PyFloat) return v.value as unknown as T;
  if (Array.isArray(v)) return v.map(toPlain) as unknown as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[k] = toPlain(val);
    return out as T;
  }
  return v;
}

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0x80 && c < 0xa0) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python `repr()` of a JSON-like value (for pydantic's input_value and FastMCP's output-validation text). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  if (typeof v === 'string') return pyStrRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, val]) => `${pyStrRepr(k)}: ${pyRepr(val)}`)
      .join(', ')}}`;
  }
  return pyStrRepr(String(v));
}

/** Python type name of a JSON-like value, as pydantic reports it in `input_type=`. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

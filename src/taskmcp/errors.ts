/**
 * task-mcp's error classes (docs/task-mcp-compatibility.md, "Errors"). A ToolError becomes "Error calling
 * tool '<name>': <msg>"; a PydanticError is shown raw (FastMCP re-raises pydantic errors unwrapped); soft
 * errors are plain results.
 */
import { pyRepr, pyTypeName } from './pytext.js';

/** A ValueError (or other exception) raised in a tool body. */
export class ToolError extends Error {}

/** Only the documentation URL line differs from real pydantic (its version is part of the URL). */
const PYDANTIC_URL = 'https://errors.pydantic.dev/2.13/v/';

export interface PydanticLine {
  /** Field location, e.g. "title" or "depends_on.1"; omitted for model-level rules. */
  loc?: string;
  type: string;
  msg: string;
  input: unknown;
}

/** pydantic shortens long input reprs to their first 25 and last 24 characters. */
function truncatedRepr(v: unknown): string {
  const r = pyRepr(v);
  const cps = [...r];
  if (cps.length <= 50) return r;
  return `${cps.slice(0, 25).join('')}...${cps.slice(-24).join('')}`;
}

export class PydanticError extends Error {
  constructor(
    readonly title: string,
    readonly lines: PydanticLine[],
  ) {
    const n = lines.length;
    const head = `${n} validation error${n === 1 ? '' : 's'} for ${title}`;
    const body = lines.map((l) => {
      const detail = `  ${l.msg} [type=${l.type}, input_value=${truncatedRepr(l.input)}, input_type=${pyTypeName(l.input)}]\n    For further information visit ${PYDANTIC_URL}${l.type}`;
      return l.loc === undefined ? detail : `${l.loc}\n${detail}`;
    });
    super([head, ...body].join('\n'));
  }
}

/** A custom validator's ValueError, as pydantic words it. */
export function valueError(loc: string | undefined, message: string, input: unknown): PydanticLine {
  return { loc, type: 'value_error', msg: `Value error, ${message}`, input };
}

export interface SoftError {
  error: { code: string; message: string; details: Record<string, unknown> };
  suggestion?: string;
}

export function softError(code: string, message: string, details: Record<string, unknown>, suggestion?: string): SoftError {
  const e: SoftError = { error: { code, message, details } };
  if (suggestion !== undefined) e.suggestion = suggestion;
  return e;
}

export function isSoftError(v: unknown): v is SoftError {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'error' in v && typeof (v as SoftError).error === 'object';
}

/** An error whose text is shown verbatim (FastMCP's own wording, e.g. "Output validation error: …"). */
export class RawToolError extends Error {}

/**
 * Tool parameters: one declarative spec per parameter gives the JSON Schema of tools/list, the argument
 * validation and the TypeScript type of the tool body's arguments.
 *
 * Validation works the way FastMCP 2.13 does it: pydantic in LAX mode against the Python signature, not
 * JSON Schema. "7" -> 7, 2.0 -> 2, 2.5 rejected, numbers never coerced to strings, unknown keyword
 * arguments rejected. Errors are pydantic reports titled `call[<tool>]` (docs/task-mcp-compatibility.md,
 * "Arguments").
 */
import { PydanticError, type PydanticLine } from './errors.js';

export type ParamKind = 'str' | 'int' | 'bool' | 'int_list' | 'str_list' | 'metadata';

/** The TypeScript type each kind validates to. */
export interface KindTypes {
  str: string;
  int: number;
  bool: boolean;
  int_list: number[];
  str_list: string[];
  metadata: string | Record<string, unknown> | unknown[];
}

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  /** Present = optional with this default. Absent = required. */
  readonly default?: unknown;
  /** Accepts null (Optional[...] in Python). */
  readonly nullable?: boolean;
  readonly description?: string;
  /** Extension tools only: pydantic `Field(ge=…, le=…)` on an int. */
  readonly ge?: number;
  readonly le?: number;
  /** Extension tools only: pydantic `Field(max_length=…)` on a list. */
  readonly maxItems?: number;
}

/** The validated value of one parameter. */
export type ParamValue<S extends ParamSpec> = KindTypes[S['kind']] | (S extends { nullable: true } ? null : never);

/** The validated arguments of a parameter list, keyed by name. */
export type ArgsOf<Ps extends readonly ParamSpec[]> = { [S in Ps[number] as S['name']]: ParamValue<S> };

type Result = { ok: true; value: unknown } | { ok: false; lines: PydanticLine[] };

const ok = (value: unknown): Result => ({ ok: true, value });
const fail = (loc: string, type: string, msg: string, input: unknown): Result => ({ ok: false, lines: [{ loc, type, msg, input }] });

function laxInt(v: unknown, loc: string): Result {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return ok(v);
    if (!Number.isFinite(v)) return fail(loc, 'finite_number', 'Input should be a finite number', v);
    return fail(loc, 'int_from_float', 'Input should be a valid integer, got a number with a fractional part', v);
  }
  if (typeof v === 'boolean') return ok(v ? 1 : 0);
  if (typeof v === 'string') {
    // pydantic-core strips whitespace and accepts a zero fraction ("7.0").
    const m = /^\s*([+-]?\d+)(?:\.0*)?\s*$/.exec(v);
    if (m) return ok(Number(m[1]));
    return fail(loc, 'int_parsing', 'Input should be a valid integer, unable to parse string as an integer', v);
  }
  return fail(loc, 'int_type', 'Input should be a valid integer', v);
}

const TRUE_STR = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_STR = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

function laxBool(v: unknown, loc: string): Result {
  if (typeof v === 'boolean') return ok(v);
  if (typeof v === 'number') {
    if (v === 0 || v === 1) return ok(v === 1);
    return fail(loc, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input', v);
  }
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE_STR.has(s)) return ok(true);
    if (FALSE_STR.has(s)) return ok(false);
    return fail(loc, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input', v);
  }
  return fail(loc, 'bool_type', 'Input should be a valid boolean', v);
}

function laxStr(v: unknown, loc: string): Result {
  if (typeof v === 'string') return ok(v);
  return fail(loc, 'string_type', 'Input should be a valid string', v);
}

function laxList(v: unknown, loc: string, item: (x: unknown, loc: string) => Result): Result {
  if (!Array.isArray(v)) return fail(loc, 'list_type', 'Input should be a valid list', v);
  const out: unknown[] = [];
  const lines: PydanticLine[] = [];
  v.forEach((x, i) => {
    const r = item(x, `${loc}.${i}`);
    if (r.ok) out.push(r.value);
    else lines.push(...r.lines);
  });
  return lines.length ? { ok: false, lines } : ok(out);
}

/** `str | dict[str, Any] | list[Any]`: a smart union, so a miss reports every member. */
function laxMetadata(v: unknown, loc: string): Result {
  if (typeof v === 'string' || Array.isArray(v) || (v !== null && typeof v === 'object')) return ok(v);
  return {
    ok: false,
    lines: [
      { loc: `${loc}.str`, type: 'string_type', msg: 'Input should be a valid string', input: v },
      { loc: `${loc}.dict[str,any]`, type: 'dict_type', msg: 'Input should be a valid dictionary', input: v },
      { loc: `${loc}.list[any]`, type: 'list_type', msg: 'Input should be a valid list', input: v },
    ],
  };
}

/** pydantic's constraint checks after the type check (`Field(ge, le, max_length)`). */
function constrain(spec: ParamSpec, r: Result): Result {
  if (!r.ok) return r;
  const v = r.value;
  if (typeof v === 'number') {
    if (spec.ge !== undefined && v < spec.ge) return fail(spec.name, 'greater_than_equal', `Input should be greater than or equal to ${spec.ge}`, v);
    if (spec.le !== undefined && v > spec.le) return fail(spec.name, 'less_than_equal', `Input should be less than or equal to ${spec.le}`, v);
  }
  if (Array.isArray(v) && spec.maxItems !== undefined && v.length > spec.maxItems) {
    return fail(spec.name, 'too_long', `List should have at most ${spec.maxItems} items after validation, not ${v.length}`, v);
  }
  return r;
}

function validateOne(spec: ParamSpec, v: unknown): Result {
  if (v === null && spec.nullable) return ok(null);
  switch (spec.kind) {
    case 'str':
      return laxStr(v, spec.name);
    case 'int':
      return constrain(spec, laxInt(v, spec.name));
    case 'bool':
      return laxBool(v, spec.name);
    case 'int_list':
      return constrain(spec, laxList(v, spec.name, laxInt));
    case 'str_list':
      return constrain(spec, laxList(v, spec.name, laxStr));
    case 'metadata':
      return laxMetadata(v, spec.name);
  }
}

/**
 * Validate call arguments like pydantic's arguments validator: parameters in signature order (missing ones
 * included), then unexpected keywords in the order given. Returns the coerced arguments with defaults.
 */
export function validateArguments(tool: string, params: readonly ParamSpec[], args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lines: PydanticLine[] = [];
  for (const spec of params) {
    if (!Object.prototype.hasOwnProperty.call(args, spec.name) || args[spec.name] === undefined) {
      if ('default' in spec) out[spec.name] = spec.default;
      else lines.push({ loc: spec.name, type: 'missing_argument', msg: 'Missing required argument', input: args });
      continue;
    }
    const r = validateOne(spec, args[spec.name]);
    if (r.ok) out[spec.name] = r.value;
    else lines.push(...r.lines);
  }
  const known = new Set(params.map((p) => p.name));
  for (const [k, v] of Object.entries(args)) {
    if (!known.has(k)) lines.push({ loc: k, type: 'unexpected_keyword_argument', msg: 'Unexpected keyword argument', input: v });
  }
  if (lines.length) throw new PydanticError(`call[${tool}]`, lines);
  return out;
}

/**
 * The JSON Schema of one parameter, exactly as the SDK's zod conversion printed it before (kept
 * byte-identical so clients see the same tools/list): primitives as `type: [t, "null"]`, integers and
 * lists as `anyOf` when nullable, the default first.
 */
export function paramJsonSchema(p: ParamSpec): Record<string, unknown> {
  let base: Record<string, unknown>;
  switch (p.kind) {
    case 'str': base = { type: 'string' }; break;
    case 'bool': base = { type: 'boolean' }; break;
    case 'int': base = { type: 'integer', ...(p.ge !== undefined ? { minimum: p.ge } : {}), ...(p.le !== undefined ? { maximum: p.le } : {}) }; break;
    case 'int_list': base = { type: 'array', items: { type: 'integer' }, ...(p.maxItems !== undefined ? { maxItems: p.maxItems } : {}) }; break;
    case 'str_list': base = { type: 'array', items: { type: 'string' }, ...(p.maxItems !== undefined ? { maxItems: p.maxItems } : {}) }; break;
    case 'metadata':
      base = { anyOf: [{ type: 'string' }, { type: 'object', propertyNames: { type: 'string' }, additionalProperties: {} }, { type: 'array', items: {} }] };
      break;
  }
  let schema = base;
  if (p.nullable) {
    const primitive = Object.keys(base).length === 1 && (base.type === 'string' || base.type === 'boolean');
    schema = primitive ? { type: [base.type, 'null'] } : { anyOf: [base, { type: 'null' }] };
  }
  const out: Record<string, unknown> = 'default' in p ? { default: p.default, ...schema } : { ...schema };
  if (p.description) out.description = p.description;
  return out;
}

export function inputJsonSchema(params: readonly ParamSpec[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const p of params) properties[p.name] = paramJsonSchema(p);
  const required = params.filter((p) => !('default' in p)).map((p) => p.name);
  return { type: 'object', properties, ...(required.length ? { required } : {}), $schema: 'http://json-schema.org/draft-07/schema#' };
}

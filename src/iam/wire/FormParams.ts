import { IamError } from '../../errors/IamError.js';

/**
 * The parameters of an AWS query-protocol request (`application/x-www-form-urlencoded` body, or the query string
 * of a GET): `Action=CreateUser&UserName=bob&Tags.member.1.Key=k&Tags.member.1.Value=v`.
 */
export class FormParams {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** Parse a form body; '+' is a space, percent escapes are UTF-8. The first of repeated names wins. */
  static parse(text: string): FormParams {
    const values = new Map<string, string>();
    if (text.trim() === '') return new FormParams(values);
    for (const part of text.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const rawName = eq < 0 ? part : part.slice(0, eq);
      const rawValue = eq < 0 ? '' : part.slice(eq + 1);
      const name = decode(rawName);
      if (!values.has(name)) values.set(name, decode(rawValue));
    }
    return new FormParams(values);
  }

  static of(entries: Readonly<Record<string, string>>): FormParams {
    return new FormParams(new Map(Object.entries(entries)));
  }

  /** Merge: this request's own parameters win over `other`'s. */
  withFallback(other: FormParams): FormParams {
    const merged = new Map(other.values);
    for (const [k, v] of this.values) merged.set(k, v);
    return new FormParams(merged);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  /** A required parameter; missing → ValidationError as IAM words it. */
  required(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) {
      throw new IamError('ValidationError', `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
    }
    return value;
  }

  /** An optional integer parameter within [min, max]. */
  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.values.get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || n < min || n > max) {
      throw new IamError(
        'ValidationError',
        `1 validation error detected: Value '${raw}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value ${n < min ? 'greater than or equal to ' + min : 'less than or equal to ' + max}`,
      );
    }
    return n;
  }

  /**
   * A list of structures: `<prefix>.member.N.<field>` for N = 1, 2, …; stops at the first missing N.
   * Returns one record per member holding the fields present.
   */
  members(prefix: string, fields: readonly string[]): Record<string, string>[] {
    const out: Record<string, string>[] = [];
    for (let n = 1; ; n += 1) {
      const entry: Record<string, string> = {};
      let any = false;
      for (const field of fields) {
        const v = this.values.get(`${prefix}.member.${n}.${field}`);
        if (v !== undefined) {
          entry[field] = v;
          any = true;
        }
      }
      if (!any) return out;
      out.push(entry);
    }
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new IamError('InvalidInput', 'The request body is not valid form data.');
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

import { HeaderField } from './header-field.js';
import { headerKey } from './header-names.js';
import { isToken, splitList } from './sip-lexer.js';
import { SipMessageError } from './sip-message-error.js';

/**
 * The ordered header fields of a message. Order is kept exactly (RFC 3261 §7.3.1: the relative order of fields
 * with the same name matters, Via and Route above all), names are kept as written, and every lookup is
 * case-insensitive and understands compact forms: `get('call-id')`, `get('i')` and `get('Call-ID')` agree.
 */
export class SipHeaders implements Iterable<HeaderField> {
  #fields: HeaderField[];

  constructor(fields: HeaderField[] = []) {
    this.#fields = fields;
  }

  /** Headers from `[name, value]` pairs, validated as for `append`. */
  static from(entries: Iterable<readonly [name: string, value: string]>): SipHeaders {
    const headers = new SipHeaders();
    for (const [name, value] of entries) headers.append(name, value);
    return headers;
  }

  /** Number of fields (lines). */
  get size(): number {
    return this.#fields.length;
  }

  has(name: string): boolean {
    return this.first(headerKey(name)) !== undefined;
  }

  /** The value of the first field with this name. */
  get(name: string): string | undefined {
    return this.first(headerKey(name))?.value;
  }

  /** The value of every field with this name, in order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const out: string[] = [];
    for (const f of this.#fields) if (f.key === key) out.push(f.value);
    return out;
  }

  /**
   * The elements of a comma-separated list header across all its fields, in order (`Allow: INVITE, ACK` and a
   * second `Allow: BYE` give three). Commas inside quoted strings and `<…>` do not split.
   */
  getList(name: string): string[] {
    const out: string[] = [];
    for (const value of this.getAll(name))
      for (const item of splitList(value)) if (item !== '') out.push(item);
    return out;
  }

  /** Replaces every field with this name by one field at the position of the first (or at the end). */
  set(name: string, value: string): this {
    return this.replace(createField(name, value));
  }

  /** Adds a field after all others. */
  append(name: string, value: string): this {
    this.#fields.push(createField(name, value));
    return this;
  }

  /** Adds a field above the first field of the same name (or above all fields when there is none). */
  prepend(name: string, value: string): this {
    return this.insert(createField(name, value));
  }

  /** Removes every field with this name; returns how many were removed. */
  delete(name: string): number {
    const key = headerKey(name);
    const before = this.#fields.length;
    this.#fields = this.#fields.filter((f) => f.key !== key);
    return before - this.#fields.length;
  }

  /** The fields with this name (or all fields), in order. */
  fields(name?: string): HeaderField[] {
    if (name === undefined) return this.#fields.slice();
    const key = headerKey(name);
    const out: HeaderField[] = [];
    for (const f of this.#fields) if (f.key === key) out.push(f);
    return out;
  }

  /** `[name, value]` of every field, in order. */
  *entries(): IterableIterator<[name: string, value: string]> {
    for (const f of this.#fields) yield [f.name, f.value];
  }

  [Symbol.iterator](): Iterator<HeaderField> {
    return this.#fields[Symbol.iterator]();
  }

  /** @internal First field with this lookup key (already lower-case long form). */
  first(key: string): HeaderField | undefined {
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i++) if (fields[i].key === key) return fields[i];
    return undefined;
  }

  /** @internal Number of fields with this lookup key. */
  count(key: string): number {
    let n = 0;
    for (const f of this.#fields) if (f.key === key) n++;
    return n;
  }

  /** @internal */
  indexOf(key: string): number {
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i++) if (fields[i].key === key) return i;
    return -1;
  }

  /** @internal Inserts a field above the first field with its key, or at the top. */
  insert(field: HeaderField): this {
    const index = this.indexOf(field.key);
    this.#fields.splice(index < 0 ? 0 : index, 0, field);
    return this;
  }

  /** @internal Replaces the first field with this field's key (or appends), removing the other fields of it. */
  replace(field: HeaderField): this {
    const index = this.indexOf(field.key);
    if (index < 0) this.#fields.push(field);
    else {
      this.#fields[index] = field;
      this.#fields = this.#fields.filter((f, i) => i <= index || f.key !== field.key);
    }
    return this;
  }

  /** @internal */
  remove(field: HeaderField): void {
    const index = this.#fields.indexOf(field);
    if (index >= 0) this.#fields.splice(index, 1);
  }

  /** A copy whose fields carry the same text (structured forms are parsed again on demand). */
  clone(): SipHeaders {
    return new SipHeaders(this.#fields.map((f) => new HeaderField(f.name, f.value, f.key)));
  }
}

/** A field from code: the name must be a token and the value must not contain a line break. */
export function createField(name: string, value: string): HeaderField {
  if (!isToken(name)) {
    throw new SipMessageError(
      'SIP_HEADER_NAME_INVALID',
      'A SIP header name must be a token (RFC 3261 §25.1).',
    );
  }
  if (/[\r\n]/.test(value)) {
    throw new SipMessageError(
      'SIP_HEADER_VALUE_INVALID',
      `The value of header "${name}" contains a line break; fold or escape it before setting it.`,
    );
  }
  return new HeaderField(name, value.trim());
}

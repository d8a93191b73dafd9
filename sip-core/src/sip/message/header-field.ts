import { headerKey } from './header-names.js';
import { type ChangeListener, HeaderValue } from './header-value.js';
import { SipParseError } from './sip-parse-error.js';

/**
 * How one header is read and written: `parse` turns a field value into its structured form (throwing
 * `SipParseError` with a short description of the problem), `format` writes that form back.
 */
export interface HeaderGrammar<T> {
  parse(value: string): T;
  format(parsed: T): string;
}

/**
 * One header field (one line after unfolding): its name as received, its lookup key, its value. The
 * structured form is parsed on first access through a grammar and cached; the text stays the source of
 * truth until the structured form is changed.
 */
export class HeaderField implements ChangeListener {
  /** The name as received or as set (`v`, `VIA`, `Via` are all kept as written). */
  readonly name: string;
  /** Lower-case long name (`via`), used by every lookup. */
  readonly key: string;
  /** 1-based line in the parsed message, for error messages. */
  readonly line: number | undefined;
  #value: string | undefined;
  #grammar: HeaderGrammar<unknown> | undefined;
  #parsed: unknown;
  #error: SipParseError | undefined;

  constructor(name: string, value: string, key = headerKey(name), line?: number) {
    this.name = name;
    this.key = key;
    this.line = line;
    this.#value = value;
  }

  /** A field whose structured form is already known (a value built in code). */
  static fromParsed<T>(name: string, grammar: HeaderGrammar<T>, parsed: T): HeaderField {
    const field = new HeaderField(name, '');
    field.#value = undefined;
    field.#adopt(grammar, parsed);
    return field;
  }

  /** The value as it goes on the wire. */
  get value(): string {
    return (this.#value ??= this.#grammar!.format(this.#parsed));
  }

  /**
   * The structured form under `grammar`, parsed once and cached. Throws `SipParseError`
   * (`SIP_HEADER_MALFORMED`) naming this header and its line when the value does not parse.
   */
  parsed<T>(grammar: HeaderGrammar<T>): T {
    if (this.#grammar === grammar) {
      if (this.#error !== undefined) throw this.#error;
      return this.#parsed as T;
    }
    let parsed: T;
    try {
      parsed = grammar.parse(this.value);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      // The failure is remembered for this grammar only; a structured form from another grammar is kept.
      if (this.#value !== undefined && this.#grammar === undefined) {
        this.#grammar = grammar;
        this.#error = headerError(this, error);
        throw this.#error;
      }
      throw headerError(this, error);
    }
    this.#adopt(grammar, parsed);
    return parsed;
  }

  /** The structured form, or `undefined` when the value does not parse. */
  tryParsed<T>(grammar: HeaderGrammar<T>): T | undefined {
    try {
      return this.parsed(grammar);
    } catch (error) {
      if (error instanceof SipParseError) return undefined;
      throw error;
    }
  }

  /** @internal The structured form changed: write the value from it next time. */
  markChanged(): void {
    if (this.#grammar !== undefined) this.#value = undefined;
  }

  /** @internal */
  onValueChanged(): void {
    this.markChanged();
  }

  #adopt(grammar: HeaderGrammar<unknown>, parsed: unknown): void {
    this.#grammar = grammar;
    this.#parsed = parsed;
    this.#error = undefined;
    if (parsed instanceof HeaderValue) parsed.bindOwner(this);
    else if (Array.isArray(parsed)) {
      for (let i = 0; i < parsed.length; i++) {
        const item: unknown = parsed[i];
        if (item instanceof HeaderValue) item.bindOwner(this);
      }
    }
  }
}

function headerError(field: HeaderField, cause: SipParseError): SipParseError {
  const where = field.line === undefined ? '' : ` (line ${field.line})`;
  return new SipParseError(
    'SIP_HEADER_MALFORMED',
    `${safeName(field.name)} header${where}: ${cause.message}`,
    {
      header: field.name,
      line: field.line,
    },
  );
}

/** A header name for a message: only token characters ever reach here, but long names are cut. */
function safeName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

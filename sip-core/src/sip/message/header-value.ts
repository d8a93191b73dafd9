/** Something told when a value it owns changes: a header value for its parameters, a field for its values. */
export interface ChangeListener {
  onValueChanged(): void;
}

/**
 * Base of the structured header values that code may change in place (Via, CSeq, NameAddr, …). A parsed
 * value remembers the text it came from and writes it back unchanged; the first change drops that text, tells
 * the owning header field to re-serialise, and the value is formatted from its fields from then on. This is
 * how `via.received = '192.0.2.1'` keeps the message serialisable without re-writing untouched headers.
 */
export abstract class HeaderValue implements ChangeListener {
  #text: string | undefined;
  #owner: ChangeListener | undefined;

  protected constructor(text: string | undefined) {
    this.#text = text;
  }

  /** @internal Called by the header field that holds this value (`undefined` when it is removed). */
  bindOwner(owner: ChangeListener | undefined): void {
    this.#owner = owner;
  }

  /** @internal A parameter of this value changed. */
  onValueChanged(): void {
    this.changed();
  }

  /** Subclasses call this from every setter. */
  protected changed(): void {
    this.#text = undefined;
    this.#owner?.onValueChanged();
  }

  /** The value written from its fields. */
  protected abstract formatValue(): string;

  /** The value as it goes on the wire: the received text while unchanged. */
  toString(): string {
    return (this.#text ??= this.formatValue());
  }
}

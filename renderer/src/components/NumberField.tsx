import type { NumberClassification } from '../../../electron/common/index.js';

export interface NumberFieldProps {
  readonly value: string;
  readonly classification: NumberClassification | undefined;
  readonly onChange: (value: string) => void;
  readonly onSubmit: () => void;
  readonly onUseSuggestion: (e164: string) => void;
}

/** The number field with its country flag and the host's E.164 hint under it. */
export function NumberField({
  value,
  classification,
  onChange,
  onSubmit,
  onUseSuggestion,
}: NumberFieldProps) {
  // The country as its ISO code: flag emoji do not render on Windows or on Linux without an emoji font.
  const country = classification?.ok
    ? (classification.country ?? classification.possibleCountries.join('/'))
    : '';
  const hintClass = classification === undefined || classification.ok ? 'hint' : 'hint hint--problem';
  return (
    <div className="number-field">
      <label htmlFor="dial-number" className="field-label">
        Number
      </label>
      <div className="number-field__row">
        <span
          className={country ? 'number-field__country' : 'number-field__country is-empty'}
          data-testid="number-country"
          title={country ? `Country: ${country}` : 'Country appears as you type'}
        >
          {country || '—'}
        </span>
        <input
          id="dial-number"
          data-testid="dial-number"
          className="number-field__input"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          spellCheck={false}
          placeholder="+14155550111"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onSubmit();
          }}
        />
      </div>
      <p className={hintClass} data-testid="number-hint" aria-live="polite">
        {classification?.hint ?? '\u00a0'}
        {classification !== undefined && !classification.ok && classification.suggestion !== undefined && (
          <>
            {' '}
            <button
              type="button"
              className="link-button"
              onClick={() => onUseSuggestion(classification.suggestion!)}
            >
              Use {classification.suggestion}
            </button>
          </>
        )}
      </p>
    </div>
  );
}

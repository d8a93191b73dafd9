const KEYS: readonly (readonly [string, string])[] = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
];

export interface DialPadProps {
  readonly onKey: (key: string) => void;
  readonly disabled?: boolean;
}

export function DialPad({ onKey, disabled = false }: DialPadProps) {
  return (
    <div className="dial-pad" role="group" aria-label="Dial pad">
      {KEYS.map(([key, letters]) => (
        <button
          key={key}
          type="button"
          className="dial-pad__key"
          disabled={disabled}
          onClick={() => onKey(key)}
          aria-label={`Key ${key}`}
        >
          <span className="dial-pad__digit">{key}</span>
          <span className="dial-pad__letters">{letters || '\u00a0'}</span>
        </button>
      ))}
    </div>
  );
}

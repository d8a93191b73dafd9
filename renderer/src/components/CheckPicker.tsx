import type { CheckDescription } from '../../../electron/common/index.js';

export interface CheckPickerProps {
  readonly catalog: readonly CheckDescription[];
  readonly deselected: readonly string[];
  readonly disabled: boolean;
  readonly onToggle: (checkId: string) => void;
}

/**
 * The registry, grouped by family (network, calls, emulator-only probes…) in run order: a box per check with
 * its safety badge, what it does, what it needs (a failed dependency skips it) and, when it cannot run against
 * this target, why. Nothing here knows a check by name: whatever the host lists is shown.
 */
export function CheckPicker({ catalog, deselected, disabled, onToggle }: CheckPickerProps) {
  const titles = new Map(catalog.map((c) => [c.id, c.title]));
  const families = [...new Set(catalog.map((c) => c.family))];
  return (
    <div className="check-picker" data-testid="check-picker">
      {families.map((family) => {
        const checks = catalog.filter((c) => c.family === family);
        return (
          <fieldset key={family} className="check-picker__family" data-testid={`check-family-${family}`}>
            <legend>{checks[0]?.familyTitle ?? family}</legend>
            {checks.map((check) => {
              const on = check.applicable && !deselected.includes(check.id);
              return (
                <label
                  key={check.id}
                  className={`check-picker__item${check.applicable ? '' : ' is-not-applicable'}`}
                  data-testid={`check-option-${check.id}`}
                >
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={disabled || !check.applicable}
                    onChange={() => onToggle(check.id)}
                  />
                  <span className="check-picker__text">
                    <span className="check-picker__title">
                      <strong>{check.title}</strong>
                      <SafetyBadge safety={check.safety} />
                    </span>
                    <span className="muted small">{check.description}</span>
                    {check.dependsOn.length > 0 && (
                      <span className="muted small" data-testid="check-dependencies">
                        Needs {check.dependsOn.map((id) => titles.get(id) ?? id).join(', ')}:{' '}
                        {check.dependsOn.length === 1 ? 'it runs' : 'they run'} with this check even when
                        unticked, and this check is skipped when{' '}
                        {check.dependsOn.length === 1 ? 'it fails' : 'one of them fails'}.
                      </span>
                    )}
                    {!check.applicable && (
                      <span className="hint hint--problem small">{check.notApplicableReason}</span>
                    )}
                  </span>
                </label>
              );
            })}
          </fieldset>
        );
      })}
    </div>
  );
}

export function SafetyBadge({ safety }: { readonly safety: CheckDescription['safety'] }) {
  return safety === 'safe' ? (
    <span className="badge" title="Safe on a real trunk: no charges beyond a few short test calls you choose">
      safe
    </span>
  ) : (
    <span className="badge badge--warning" title="A negative probe: runs only against the embedded emulator">
      emulator only
    </span>
  );
}

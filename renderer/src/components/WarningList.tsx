import type { PreDialWarning } from '../../../electron/common/index.js';

export interface WarningListProps {
  readonly warnings: readonly PreDialWarning[];
}

/** Pre-dial warnings: what Zentrunk would do with this call, before it is placed. They never block dialling. */
export function WarningList({ warnings }: WarningListProps) {
  if (warnings.length === 0) return null;
  return (
    <ul className="warnings" data-testid="predial-warnings" aria-label="Pre-dial warnings">
      {warnings.map((w) => (
        <li key={w.ruleId} className="warning">
          <span className="badge badge--warning">{w.code ?? w.sipStatus ?? 'warning'}</span>
          <span>
            {w.message}
            <span className="muted small">
              {' '}
              ({w.ruleId}, BEHAVIOUR.md {w.section})
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}

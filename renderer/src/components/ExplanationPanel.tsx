import type { HangupExplanationView, PolicyRuleView } from '../../../electron/common/index.js';

export interface ExplanationPanelProps {
  readonly explanation: HangupExplanationView;
  readonly policyRule: PolicyRuleView | undefined;
}

const ORIGINS = {
  header: 'from the X-ZT-Hangup-Code header',
  record: 'as recorded in the CDR',
  inferred: 'inferred from the SIP status',
} as const;

/** Why the call ended: the hangup code, its meaning, what to check and the remedy. */
export function ExplanationPanel({ explanation, policyRule }: ExplanationPanelProps) {
  return (
    <section className="card" data-testid="explanation">
      <h3>Why the call ended</h3>
      <p className="lead">{explanation.headline}</p>
      {explanation.hangupCode && (
        <p className="muted small">
          Hangup code {explanation.hangupCode.code}, {ORIGINS[explanation.hangupCode.origin]}.
        </p>
      )}
      {explanation.causes.map((cause) => (
        <div key={cause.code} className="cause">
          <h4>
            <span className={cause.code === 3000 ? 'badge badge--ok' : 'badge badge--error'}>
              {cause.code}
            </span>{' '}
            {cause.causeName}
            {cause.inferred && <span className="muted small"> (candidate)</span>}
          </h4>
          <dl className="facts">
            <dt>Meaning</dt>
            <dd>{cause.meaning}</dd>
            <dt>What to check</dt>
            <dd>{cause.whatToCheck}</dd>
            <dt>Remedy</dt>
            <dd data-testid="remedy">{cause.remedy}</dd>
          </dl>
        </div>
      ))}
      {explanation.evidence.length > 0 && (
        <dl className="facts">
          {explanation.evidence.map((e) => (
            <div key={e.label} className="facts__pair">
              <dt>{e.label}</dt>
              <dd className="mono">{e.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {policyRule && (
        <p className="small">
          Policy rule that fired: <code>{policyRule.ruleId}</code>
          {policyRule.section ? ` (BEHAVIOUR.md ${policyRule.section}` : ''}
          {policyRule.grade ? `, evidence grade ${policyRule.grade})` : policyRule.section ? ')' : ''}
        </p>
      )}
      {explanation.note && <p className="muted small">{explanation.note}</p>}
    </section>
  );
}

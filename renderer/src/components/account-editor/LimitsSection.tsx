// Account CPS and queueing (BEHAVIOUR.md §12.1, §12.2, §20): calls per second for the whole account, what a call
// over it gets (queued up to a bound, or refused at once with 503 + 5180), and the concurrent-call limit.

import { problemAt, type SectionProps } from './account-draft.js';
import { NumericField, SelectField } from './editor-fields.js';

export function LimitsSection({ draft, issues, onChange }: SectionProps) {
  const limits = draft.limits;
  const settings = draft.settings;
  const overflow = settings['accountCpsOverflow'] === 'reject' ? 'reject' : 'queue';
  const bound =
    typeof settings['accountCpsQueueBoundMs'] === 'number' ? settings['accountCpsQueueBoundMs'] : undefined;
  const setSetting = (key: string, value: unknown) => {
    const next = { ...settings };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange({ ...draft, settings: next });
  };
  return (
    <section className="editor-section" aria-labelledby="editor-limits" data-testid="editor-limits">
      <h4 id="editor-limits">Account CPS and queueing</h4>
      <div className="form-grid">
        <NumericField
          label="Account CPS"
          testId="limits-account-cps"
          value={limits.account_cps}
          help="The outbound trunks' CPS must fit in it."
          problem={
            problemAt(issues, 'limits.account_cps') ??
            issues.find((i) => i.path === 'limits.trunk_cps')?.message
          }
          onChange={(cps) => onChange({ ...draft, limits: { ...limits, account_cps: cps ?? 0 } })}
        />
        <NumericField
          label="Concurrent calls"
          testId="limits-concurrent"
          value={limits.max_concurrent_calls}
          placeholder="unlimited"
          problem={problemAt(issues, 'limits.max_concurrent_calls')}
          onChange={(max) => onChange({ ...draft, limits: { ...limits, max_concurrent_calls: max ?? null } })}
        />
        <SelectField
          label="Over the account CPS"
          testId="limits-overflow"
          value={overflow}
          options={[
            { value: 'queue', label: 'Queue the call' },
            { value: 'reject', label: 'Refuse at once (503, 5180)' },
          ]}
          problem={problemAt(issues, 'settings.accountCpsOverflow')}
          onChange={(value) => setSetting('accountCpsOverflow', value)}
        />
        <NumericField
          label="Longest wait in the queue (ms)"
          testId="limits-queue-bound"
          value={bound}
          placeholder="10000"
          problem={problemAt(issues, 'settings.accountCpsQueueBoundMs')}
          onChange={(value) => setSetting('accountCpsQueueBoundMs', value)}
        />
      </div>
    </section>
  );
}

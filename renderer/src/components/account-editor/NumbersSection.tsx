// Numbers: the account's own numbers — caller IDs its outbound calls may present (BEHAVIOUR.md §4.2: anything
// else is refused with 4190) and DIDs, which route to an inbound trunk (§14.7).

import { problemAt, type NumberDraft, type SectionProps } from './account-draft.js';
import { SelectField, TextField } from './editor-fields.js';

export function NumbersSection({ draft, issues, onChange }: SectionProps) {
  const inbound = draft.trunks.filter((t) => t.trunk_direction === 'inbound');
  const setNumber = (index: number, number: NumberDraft) =>
    onChange({ ...draft, numbers: draft.numbers.map((n, i) => (i === index ? number : n)) });
  return (
    <section className="editor-section" aria-labelledby="editor-numbers" data-testid="editor-numbers">
      <h4 id="editor-numbers">Numbers (caller IDs and DIDs)</h4>
      <p className="muted small">
        Outbound calls may only present these as caller ID. A number routed to an inbound trunk is a DID.
      </p>
      {draft.numbers.map((number, index) => (
        <div className="editor-row" key={index} data-testid="editor-number">
          <TextField
            label="Number (E.164)"
            testId={`number-${index}`}
            value={number.number}
            placeholder="+14155550100"
            problem={problemAt(issues, `numbers[${index}].number`)}
            onChange={(value) => setNumber(index, { ...number, number: value })}
          />
          <TextField
            label="Alias"
            testId={`number-${index}-alias`}
            value={number.alias}
            onChange={(alias) => setNumber(index, { ...number, alias })}
          />
          <SelectField
            label="Routes to"
            testId={`number-${index}-route`}
            value={number.app_id ?? ''}
            problem={problemAt(issues, `numbers[${index}].app_id`)}
            options={[
              { value: '', label: 'Caller ID only' },
              ...inbound.map((t) => ({ value: t.trunk_id, label: `DID → ${t.name || t.trunk_id}` })),
            ]}
            onChange={(appId) => setNumber(index, { ...number, app_id: appId === '' ? null : appId })}
          />
          <button
            type="button"
            className="button button--small button--ghost editor-row__remove"
            aria-label={`Remove ${number.number || 'this number'}`}
            onClick={() => onChange({ ...draft, numbers: draft.numbers.filter((_, i) => i !== index) })}
          >
            Remove
          </button>
        </div>
      ))}
      <div className="editor-actions">
        <button
          type="button"
          className="button button--small"
          data-testid="editor-add-number"
          onClick={() =>
            onChange({ ...draft, numbers: [...draft.numbers, { number: '', alias: '', app_id: null }] })
          }
        >
          Add number
        </button>
      </div>
    </section>
  );
}

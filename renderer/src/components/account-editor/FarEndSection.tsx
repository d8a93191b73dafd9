// The far-end number table: what the "PSTN" behind the emulator does for a destination (answer and echo, a test
// tone, reject with a status, never answer), after how long. Entries replace built-in numbers of the same number.
// Scenario details the editor has no field for (early media, DTMF, hold, a WAV file) are kept while the
// scenario's kind stays; choosing another scenario starts it afresh.

import { problemAt, type FarEndEntryDraft, type ScenarioDraft, type SectionProps } from './account-draft.js';
import { CheckField, NumericField, SelectField, TextField } from './editor-fields.js';

type Behaviour = 'echo' | 'tone' | 'silence' | 'other-media' | 'reject' | 'no-answer';

const TEST_TONE = { kind: 'tone', tones: [{ frequencyHz: 1004, levelDbfs: -16 }], cadence: null };

function behaviourOf(scenario: ScenarioDraft): Behaviour {
  if (scenario.kind !== 'answer') return scenario.kind;
  const media = scenario.media?.kind ?? 'echo';
  return media === 'echo' || media === 'tone' || media === 'silence' ? media : 'other-media';
}

function withBehaviour(scenario: ScenarioDraft, behaviour: Behaviour): ScenarioDraft {
  const afterMs = scenario.afterMs ?? 0;
  switch (behaviour) {
    case 'echo':
      return { kind: 'answer', afterMs, media: { kind: 'echo' } };
    case 'tone':
      return { kind: 'answer', afterMs, media: TEST_TONE };
    case 'silence':
      return { kind: 'answer', afterMs, media: { kind: 'silence' } };
    case 'reject':
      return { kind: 'reject', afterMs, status: scenario.status ?? 486 };
    case 'no-answer':
      return { kind: 'no-answer' };
    case 'other-media':
      return scenario;
  }
}

export function FarEndSection({ draft, issues, onChange }: SectionProps) {
  const farEnd = draft.far_end;
  const setEntry = (index: number, entry: FarEndEntryDraft) =>
    onChange({
      ...draft,
      far_end: { ...farEnd, numbers: farEnd.numbers.map((e, i) => (i === index ? entry : e)) },
    });
  return (
    <section className="editor-section" aria-labelledby="editor-far-end" data-testid="editor-far-end">
      <h4 id="editor-far-end">Far-end numbers (the &quot;PSTN&quot;)</h4>
      <CheckField
        label="Include the built-in test numbers (+1 415 555 0111 echo, 0112 tone, …)"
        testId="far-end-built-in"
        checked={farEnd.builtInNumbers}
        onChange={(builtInNumbers) => onChange({ ...draft, far_end: { ...farEnd, builtInNumbers } })}
      />
      {farEnd.numbers.map((entry, index) => {
        const at = `far_end.numbers[${index}]`;
        const behaviour = behaviourOf(entry.scenario);
        const options: { value: Behaviour; label: string }[] = [
          { value: 'echo', label: 'Answer and echo' },
          { value: 'tone', label: 'Answer with a 1004 Hz tone' },
          { value: 'silence', label: 'Answer with silence' },
          { value: 'reject', label: 'Reject with a status' },
          { value: 'no-answer', label: 'Ring, never answer' },
        ];
        if (behaviour === 'other-media')
          options.unshift({ value: 'other-media', label: 'Answer (its own media)' });
        return (
          <div className="editor-row" key={index} data-testid="editor-far-end-entry">
            <TextField
              label={entry.prefix !== undefined ? 'Prefix' : 'Number (E.164)'}
              testId={`far-end-${index}-number`}
              value={entry.prefix ?? entry.number ?? ''}
              problem={problemAt(issues, `${at}.number`) ?? problemAt(issues, `${at}.prefix`)}
              onChange={(value) =>
                setEntry(
                  index,
                  entry.prefix !== undefined ? { ...entry, prefix: value } : { ...entry, number: value },
                )
              }
            />
            <TextField
              label="Name"
              testId={`far-end-${index}-name`}
              value={entry.name}
              placeholder="busy"
              problem={problemAt(issues, `${at}.name`)}
              onChange={(name) => setEntry(index, { ...entry, name })}
            />
            <SelectField
              label="Scenario"
              testId={`far-end-${index}-scenario`}
              value={behaviour}
              options={options}
              problem={problemAt(issues, `${at}.scenario.kind`)}
              onChange={(next) =>
                setEntry(index, { ...entry, scenario: withBehaviour(entry.scenario, next) })
              }
            />
            {entry.scenario.kind === 'reject' && (
              <NumericField
                label="Status"
                testId={`far-end-${index}-status`}
                value={entry.scenario.status}
                problem={problemAt(issues, `${at}.scenario.status`)}
                onChange={(status) =>
                  setEntry(index, { ...entry, scenario: { ...entry.scenario, status: status ?? 0 } })
                }
              />
            )}
            {entry.scenario.kind !== 'no-answer' && (
              <NumericField
                label="Delay (ms)"
                testId={`far-end-${index}-delay`}
                value={entry.scenario.afterMs ?? 0}
                problem={problemAt(issues, `${at}.scenario.afterMs`)}
                onChange={(afterMs) =>
                  setEntry(index, { ...entry, scenario: { ...entry.scenario, afterMs: afterMs ?? 0 } })
                }
              />
            )}
            <button
              type="button"
              className="button button--small button--ghost editor-row__remove"
              aria-label={`Remove far-end entry ${entry.number ?? entry.prefix ?? index + 1}`}
              onClick={() =>
                onChange({
                  ...draft,
                  far_end: { ...farEnd, numbers: farEnd.numbers.filter((_, i) => i !== index) },
                })
              }
            >
              Remove
            </button>
          </div>
        );
      })}
      <div className="editor-actions">
        <button
          type="button"
          className="button button--small"
          data-testid="editor-add-far-end"
          onClick={() =>
            onChange({
              ...draft,
              far_end: {
                ...farEnd,
                numbers: [
                  ...farEnd.numbers,
                  {
                    number: '',
                    name: 'my-number',
                    description: '',
                    scenario: { kind: 'answer', afterMs: 0, media: { kind: 'echo' } },
                  },
                ],
              },
            })
          }
        >
          Add far-end number
        </button>
      </div>
    </section>
  );
}

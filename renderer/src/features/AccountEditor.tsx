// The Emulator view's account editor: every section of the account on one page, inline checks while typing, the
// host's problems on their fields after Save, a dirty indicator, and a warning before a save or a reset ends
// calls in progress (the host applies an account by restarting the emulator, docs/adr/0145).

import { useMemo, useState } from 'react';
import '../styles/account-editor.css';
import { FarEndSection } from '../components/account-editor/FarEndSection.js';
import { LimitsSection } from '../components/account-editor/LimitsSection.js';
import { NumbersSection } from '../components/account-editor/NumbersSection.js';
import { PermissionsSection } from '../components/account-editor/PermissionsSection.js';
import { SwitchesSection } from '../components/account-editor/SwitchesSection.js';
import { TrunksSection } from '../components/account-editor/TrunksSection.js';
import { TextField } from '../components/account-editor/editor-fields.js';
import { problemAt } from '../components/account-editor/account-draft.js';
import {
  editorIssues,
  selectAccountDirty,
  selectAccountHostIssues,
  selectAccountDraft,
  selectAccountSaving,
} from '../store/account-editor-selectors.js';
import { selectEmulatorStatus } from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';

type Pending = 'save' | 'reset' | undefined;

export function AccountEditor() {
  const draft = useAppStore(selectAccountDraft);
  const dirty = useAppStore(selectAccountDirty);
  const saving = useAppStore(selectAccountSaving);
  const hostIssues = useAppStore(selectAccountHostIssues);
  const activeCalls = useAppStore((s) => selectEmulatorStatus(s)?.activeCalls ?? 0);
  const actions = useAppActions();
  const [pending, setPending] = useState<Pending>(undefined);
  const issues = useMemo(() => editorIssues(draft, hostIssues), [draft, hostIssues]);
  if (draft === undefined) return null;

  const run = (what: 'save' | 'reset') => {
    setPending(undefined);
    void (what === 'save' ? actions.saveAccount() : actions.resetAccount());
  };
  const ask = (what: 'save' | 'reset') => (activeCalls > 0 ? setPending(what) : run(what));
  const sectionProps = { draft, issues, onChange: (next: typeof draft) => actions.updateAccountDraft(next) };

  return (
    <form
      className="account-editor"
      data-testid="account-editor"
      aria-label="Emulator account"
      onSubmit={(e) => {
        e.preventDefault();
        ask('save');
      }}
    >
      <div className="account-editor__bar">
        <TextField
          label="Account name"
          testId="account-name"
          value={draft.name}
          problem={problemAt(issues, 'name')}
          onChange={(name) => actions.updateAccountDraft({ ...draft, name })}
        />
        <div className="account-editor__status">
          {dirty ? (
            <span className="badge badge--warning" data-testid="account-dirty">
              Unsaved changes
            </span>
          ) : (
            <span className="badge" data-testid="account-clean">
              No changes
            </span>
          )}
          {issues.length > 0 && (
            <span className="badge badge--error" data-testid="account-problem-count">
              {issues.length} {issues.length === 1 ? 'problem' : 'problems'}
            </span>
          )}
        </div>
      </div>
      <TrunksSection {...sectionProps} />
      <NumbersSection {...sectionProps} />
      <PermissionsSection {...sectionProps} />
      <FarEndSection {...sectionProps} />
      <LimitsSection {...sectionProps} />
      <SwitchesSection {...sectionProps} />
      {pending !== undefined && (
        <div
          className="notice notice--warning"
          role="alertdialog"
          aria-live="assertive"
          data-testid="account-confirm"
        >
          <p>
            {activeCalls} {activeCalls === 1 ? 'call is' : 'calls are'} in progress. The emulator restarts to
            apply {pending === 'save' ? 'the edited account' : 'the demo account'}, which ends{' '}
            {activeCalls === 1 ? 'it' : 'them'} (hangup code 5250).
          </p>
          <div className="editor-actions">
            <button
              type="button"
              className="button button--primary"
              data-testid="account-confirm-yes"
              onClick={() => run(pending)}
            >
              {pending === 'save' ? 'Save and restart' : 'Reset and restart'}
            </button>
            <button
              type="button"
              className="button"
              data-testid="account-confirm-no"
              onClick={() => setPending(undefined)}
            >
              Keep the calls
            </button>
          </div>
        </div>
      )}
      <div className="editor-actions account-editor__footer">
        <button
          type="submit"
          className="button button--primary"
          data-testid="account-save"
          disabled={saving || !dirty}
        >
          {saving ? 'Saving…' : 'Save and apply'}
        </button>
        <button
          type="button"
          className="button"
          data-testid="account-cancel"
          disabled={saving}
          onClick={() => actions.cancelAccountEdit()}
        >
          Cancel
        </button>
        <button
          type="button"
          className="button button--ghost"
          data-testid="account-reset"
          disabled={saving}
          onClick={() => ask('reset')}
        >
          Reset to the demo account
        </button>
      </div>
    </form>
  );
}

// The Emulator view's account editor and its inbound test call. The draft is the host's account document
// (components/account-editor/account-draft.ts); Save sends it to `emulator.saveAccount`, which validates it with
// the emulator's own loader, writes it and restarts the emulator. The host's problems are kept per field until
// that field changes. An inbound test call answers with its id at once; its progress is the `emulator.event`s
// carrying that id (selectInboundProgress).

import type { ApiError, ApiIssue } from '../../../electron/common/index.js';
import {
  isDirty,
  toDocument,
  toDraft,
  validateDraft,
  type AccountDraft,
} from '../components/account-editor/account-draft.js';
import type { SliceCreator } from './app-store.js';

export interface InboundCallAttempt {
  readonly callUuid: string;
  readonly from: string;
  readonly to: string;
}

export interface AccountEditorSlice {
  /** Set while editing. */
  readonly accountDraft: AccountDraft | undefined;
  /** The account as the host last served it, to compare the draft with. */
  readonly accountOriginal: AccountDraft | undefined;
  /** The host's problems with the last save, for the fields not changed since. */
  readonly accountHostIssues: readonly ApiIssue[];
  readonly accountSaving: boolean;
  readonly accountMessage: { readonly kind: 'ok' | 'error'; readonly text: string } | undefined;
  readonly inboundCall: InboundCallAttempt | undefined;
  readonly inboundError: ApiError | undefined;
  editAccount(): void;
  updateAccountDraft(draft: AccountDraft): void;
  cancelAccountEdit(): void;
  /** Saves and applies the draft; false when there was something to fix. */
  saveAccount(): Promise<boolean>;
  resetAccount(): Promise<void>;
  placeInboundCall(to: string, from: string): Promise<void>;
}

/** The value at a host path (`numbers[2].number`) in a draft. */
export function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const part of path.split(/\.|\[|\]/).filter((p) => p !== '')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export const createAccountEditorSlice: SliceCreator<AccountEditorSlice> = (set, get, api) => ({
  accountDraft: undefined,
  accountOriginal: undefined,
  accountHostIssues: [],
  accountSaving: false,
  accountMessage: undefined,
  inboundCall: undefined,
  inboundError: undefined,

  editAccount() {
    const account = get().emulatorAccount;
    if (account === undefined) return;
    const draft = toDraft(account);
    set({ accountDraft: draft, accountOriginal: draft, accountHostIssues: [], accountMessage: undefined });
  },

  updateAccountDraft(draft) {
    const before = get().accountDraft;
    // A host problem stays until its field changes: then the inline checks (or the next save) speak for it.
    const kept = get().accountHostIssues.filter(
      (i) => JSON.stringify(valueAt(before, i.path)) === JSON.stringify(valueAt(draft, i.path)),
    );
    set({ accountDraft: draft, accountHostIssues: kept, accountMessage: undefined });
  },

  cancelAccountEdit() {
    set({ accountDraft: undefined, accountHostIssues: [], accountMessage: undefined });
  },

  async saveAccount() {
    const draft = get().accountDraft;
    if (draft === undefined) return false;
    const inline = validateDraft(draft);
    if (inline.length > 0) {
      set({
        accountMessage: {
          kind: 'error',
          text: `Fix the ${inline.length === 1 ? 'marked field' : `${inline.length} marked fields`} before saving.`,
        },
      });
      return false;
    }
    set({ accountSaving: true, accountMessage: undefined });
    const result = await api.invoke('emulator.saveAccount', toDocument(draft));
    if (!result.ok) {
      set({
        accountSaving: false,
        accountHostIssues: result.error.issues ?? [],
        accountMessage: { kind: 'error', text: result.error.message },
      });
      return false;
    }
    set({
      accountSaving: false,
      emulatorAccount: result.value,
      accountOriginal: toDraft(result.value),
      accountDraft: undefined,
      accountHostIssues: [],
      accountMessage: { kind: 'ok', text: 'Saved. The emulator restarted with the new account.' },
    });
    return true;
  },

  async resetAccount() {
    set({ accountSaving: true, accountMessage: undefined });
    const result = await api.invoke('emulator.resetAccount');
    if (!result.ok) {
      set({ accountSaving: false, accountMessage: { kind: 'error', text: result.error.message } });
      return;
    }
    set({
      accountSaving: false,
      emulatorAccount: result.value,
      accountOriginal: toDraft(result.value),
      accountDraft: undefined,
      accountHostIssues: [],
      accountMessage: {
        kind: 'ok',
        text: 'The demo account is back; your saved account was kept as a .bak file.',
      },
    });
  },

  async placeInboundCall(to, from) {
    set({ inboundError: undefined });
    const result = await api.invoke('emulator.placeInbound', { to, from });
    set(
      result.ok
        ? { inboundCall: { callUuid: result.value.callUuid, to, from } }
        : { inboundError: result.error, inboundCall: undefined },
    );
  },
});

/** Whether the draft differs from what the host serves. */
export function draftIsDirty(draft: AccountDraft | undefined, original: AccountDraft | undefined): boolean {
  return draft !== undefined && original !== undefined && isDirty(draft, original);
}

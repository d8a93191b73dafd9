// Selectors of the account editor and the inbound test call (kept beside selectors.ts so that file stays the
// other views').

import type { ApiIssue, EmulatorEvent } from '../../../electron/common/index.js';
import { validateDraft, type AccountDraft } from '../components/account-editor/account-draft.js';
import { draftIsDirty, type InboundCallAttempt } from './account-editor-slice.js';
import type { AppState } from './app-store.js';

export const selectAccountDraft = (s: AppState) => s.accountDraft;
export const selectAccountSaving = (s: AppState) => s.accountSaving;
export const selectAccountMessage = (s: AppState) => s.accountMessage;
export const selectAccountDirty = (s: AppState) => draftIsDirty(s.accountDraft, s.accountOriginal);
export const selectInboundCall = (s: AppState) => s.inboundCall;
export const selectInboundError = (s: AppState) => s.inboundError;

export const selectAccountHostIssues = (s: AppState) => s.accountHostIssues;

/** The inline problems first, then the host's for fields the inline checks cannot judge. */
export function editorIssues(
  draft: AccountDraft | undefined,
  hostIssues: readonly ApiIssue[],
): readonly ApiIssue[] {
  if (draft === undefined) return [];
  const inline = validateDraft(draft);
  const seen = new Set(inline.map((i) => i.path));
  return [...inline, ...hostIssues.filter((i) => !seen.has(i.path))];
}

/** The events of the inbound test call in flight, oldest first (memoise it: it builds a new list). */
export function inboundProgressOf(
  call: InboundCallAttempt | undefined,
  events: readonly EmulatorEvent[],
): readonly EmulatorEvent[] {
  return call === undefined ? [] : events.filter((e) => e.callUuid === call.callUuid);
}

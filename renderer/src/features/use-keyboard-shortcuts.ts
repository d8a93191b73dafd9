// Keyboard shortcuts: digits, *, # and + dial when focus is not in a text field; Enter calls; Backspace deletes;
// Escape clears the number; Alt+1…5 switch views; Alt+T toggles the theme. In a call the same keys act on it:
// digits, * and # send DTMF, Escape hangs up; Enter answers a ringing inbound call. Listed in the sidebar footer.

import { useEffect } from 'react';
import type { AppStore } from '../store/app-store.js';
import { VIEWS } from '../store/app-slice.js';
import { selectActiveCall, selectIncomingCalls, selectResolvedTheme } from '../store/selectors.js';

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

export function handleShortcut(store: AppStore, event: KeyboardEvent): boolean {
  const state = store.getState();
  if (state.settings?.shortcutsEnabled === false) return false;
  if (event.altKey && !event.ctrlKey && !event.metaKey) {
    const index = Number(event.code.replace('Digit', '')) - 1;
    const view = VIEWS[index];
    if (event.code.startsWith('Digit') && view !== undefined) {
      state.navigate(view);
      return true;
    }
    if (event.code === 'KeyT') {
      void state.setThemePreference(selectResolvedTheme(state) === 'dark' ? 'light' : 'dark');
      return true;
    }
    return false;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || state.view !== 'phone')
    return false;
  const incoming = selectIncomingCalls(state)[0];
  if (incoming !== undefined && event.key === 'Enter') {
    void state.answer(incoming.callId);
    return true;
  }
  const active = selectActiveCall(state);
  if (active !== undefined) {
    if (/^[0-9*#]$/.test(event.key)) {
      void state.sendDtmf(active.callId, event.key);
      return true;
    }
    if (event.key === 'Escape') {
      void state.hangup(active.callId);
      return true;
    }
    return false;
  }
  if (/^[0-9*#+]$/.test(event.key)) {
    void state.pressKey(event.key);
    return true;
  }
  if (event.key === 'Backspace') {
    void state.backspace();
    return true;
  }
  if (event.key === 'Escape') {
    void state.setNumber('');
    return true;
  }
  if (event.key === 'Enter') {
    void state.dial();
    return true;
  }
  return false;
}

export function useKeyboardShortcuts(store: AppStore): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (handleShortcut(store, event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}

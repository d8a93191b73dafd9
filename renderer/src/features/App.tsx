import { useContext, useEffect } from 'react';
import { NoticeBar } from '../components/NoticeBar.js';
import { VIEWS, type ViewName } from '../store/app-slice.js';
import {
  selectConnection,
  selectInfo,
  selectNotices,
  selectResolvedTheme,
  selectStartupError,
  selectView,
} from '../store/selectors.js';
import { AppStoreContext, useAppActions, useAppStore } from '../store/use-app-store.js';
import { CallsView } from './CallsView.js';
import { ChecksView } from './ChecksView.js';
import { EmulatorView } from './EmulatorView.js';
import { IncomingCallBanner } from './IncomingCallBanner.js';
import { PhoneView } from './PhoneView.js';
import { ProfilesView } from './ProfilesView.js';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.js';

const LABELS: Record<ViewName, string> = {
  phone: 'Phone',
  profiles: 'Trunk profiles',
  emulator: 'Emulator',
  calls: 'Calls',
  checks: 'Checks',
};

const ICONS: Record<ViewName, string> = {
  phone: '\u260E',
  profiles: '\u2630',
  emulator: '\u2699',
  calls: '\u21C5',
  checks: '\u2713',
};

function CurrentView({ view }: { readonly view: ViewName }) {
  switch (view) {
    case 'phone':
      return <PhoneView />;
    case 'profiles':
      return <ProfilesView />;
    case 'emulator':
      return <EmulatorView />;
    case 'calls':
      return <CallsView />;
    case 'checks':
      return <ChecksView />;
  }
}

export function App() {
  const store = useContext(AppStoreContext);
  const view = useAppStore(selectView);
  const theme = useAppStore(selectResolvedTheme);
  const info = useAppStore(selectInfo);
  const notices = useAppStore(selectNotices);
  const startupError = useAppStore(selectStartupError);
  const connection = useAppStore(selectConnection);
  const actions = useAppActions();
  if (store === undefined) throw new Error('App needs a store.');
  useKeyboardShortcuts(store);

  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    actions.setSystemPrefersDark(query.matches);
    const onChange = (e: MediaQueryListEvent) => actions.setSystemPrefersDark(e.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [actions]);

  return (
    <div className="app" data-testid="app" data-ready={info !== undefined ? 'true' : 'false'}>
      <nav className="sidebar" aria-label="Views">
        <div className="brand">
          <img className="brand__mark" src="./favicon.svg" alt="" aria-hidden="true" />
          <span className="brand__name">Trunkline</span>
        </div>
        <ul className="nav">
          {VIEWS.map((v, i) => (
            <li key={v}>
              <button
                type="button"
                className={v === view ? 'nav__item is-active' : 'nav__item'}
                aria-current={v === view ? 'page' : undefined}
                data-testid={`nav-${v}`}
                onClick={() => actions.navigate(v)}
                title={`Alt+${i + 1}`}
              >
                <span className="nav__icon" aria-hidden="true">
                  {ICONS[v]}
                </span>
                {LABELS[v]}
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar__footer">
          <button
            type="button"
            className="button button--ghost button--small"
            data-testid="theme-toggle"
            onClick={() => void actions.setThemePreference(theme === 'dark' ? 'light' : 'dark')}
          >
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          <p className="muted small shortcuts">
            Type digits to dial (in a call: DTMF) · Enter calls or answers · Esc clears or hangs up · Alt+1–5
            views · Alt+T theme
          </p>
          {info && (
            <p className="muted small">
              v{info.appVersion} · {info.shell === 'browser' ? 'browser mode' : 'desktop'}
            </p>
          )}
        </div>
      </nav>
      <main className="main">
        {connection === 'lost' && (
          <p className="notice notice--warning" role="status" data-testid="connection-lost">
            The connection to Trunkline&rsquo;s host was lost (was it stopped?). Reconnecting&hellip; Commands
            fail until it is back.
          </p>
        )}
        {connection === 'incompatible' && (
          <p className="notice notice--error" role="alert">
            This page belongs to another version of Trunkline than the host. Reload the page.
          </p>
        )}
        <NoticeBar notices={notices} onDismiss={(id) => actions.dismissNotice(id)} />
        <IncomingCallBanner />
        {startupError ? (
          <section className="card" role="alert">
            <h2>Trunkline could not start</h2>
            <p>{startupError.message}</p>
          </section>
        ) : (
          <CurrentView view={view} />
        )}
      </main>
    </div>
  );
}

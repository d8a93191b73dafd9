import { act, render } from '@testing-library/react';
import { App } from '../src/features/App.js';
import { createAppStore, type AppStore } from '../src/store/app-store.js';
import { AppStoreContext } from '../src/store/use-app-store.js';
import type { FakePhoneApi } from './fake-phone-api.js';

/** Renders the whole app on a fake host and waits for its first load. */
export async function renderApp(api: FakePhoneApi): Promise<AppStore> {
  const store = createAppStore(api);
  render(
    <AppStoreContext.Provider value={store}>
      <App />
    </AppStoreContext.Provider>,
  );
  await act(() => store.getState().init());
  return store;
}

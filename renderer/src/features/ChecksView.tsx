import { UnavailableNotice } from '../components/UnavailableNotice.js';
import { selectFeature } from '../store/selectors.js';
import { useAppStore } from '../store/use-app-store.js';

const selectChecks = selectFeature('checks');

export function ChecksView() {
  const checks = useAppStore(selectChecks);
  return (
    <div className="view" data-testid="checks-view">
      <header className="view__header">
        <h2>Checks</h2>
        <p className="muted">
          Pre-deployment checks against your trunk or the emulator, with reports for CI.
        </p>
      </header>
      <UnavailableNotice
        title="No checks in this build yet"
        availability={checks}
        willDo="Each check places real calls and OPTIONS, reads their ladders and reports pass or fail with the reason; runs are kept with their reports."
      />
    </div>
  );
}

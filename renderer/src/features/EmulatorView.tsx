import { UnavailableNotice } from '../components/UnavailableNotice.js';
import { selectFeature } from '../store/selectors.js';
import { useAppStore } from '../store/use-app-store.js';

const selectEmulator = selectFeature('emulator');

export function EmulatorView() {
  const emulator = useAppStore(selectEmulator);
  return (
    <div className="view" data-testid="emulator-view">
      <header className="view__header">
        <h2>Emulator</h2>
        <p className="muted">
          A local Zentrunk: the same rules, SIP responses, hangup codes and CDRs, offline.
        </p>
      </header>
      <UnavailableNotice
        title="The emulator is not running"
        availability={emulator}
        willDo="Here you will start and stop it, see its listening addresses and live calls, export its CA, edit the account (trunks, numbers, ACLs, geo permissions, CPS) and place inbound calls to your PBX."
      />
      <section className="card card--muted">
        <h3>Until then</h3>
        <p className="small">
          The demo account it will serve is already what the Phone view checks your numbers and caller IDs
          against, and <code>npx trunkline explain 4190</code> explains any hangup code.
        </p>
      </section>
    </div>
  );
}

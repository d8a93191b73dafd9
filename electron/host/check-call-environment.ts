// The call checks' environment when the app runs the checks (issue 7's Checks view): a softphone of the run's own,
// built from the profile the way the Phone view's is (`softphone-profile.ts`), but listening on a free port — the
// app's softphone keeps the demo account's origination URI, so the Phone view still rings for inbound calls while
// checks run. Against the embedded emulator the checks also get its events, CDRs and tone number; the inbound
// checks are skipped there with the reason, because the demo DIDs route to the app's softphone, not this one.

import {
  EMULATOR_NUMBERS,
  createCallCheckEnvironment,
  describeError,
  loadUaProfile,
  type CallCheckEnvironment,
  type Clock,
  type Emulator,
} from '../../sip-core/src/index.js';
import type { TrunkProfile } from '../common/index.js';
import { softphoneProfile } from './softphone-profile.js';

export interface CheckCallSources {
  readonly clock: Clock;
  /** The stored SIP password of a Zentrunk profile. */
  readonly password: (profileId: string) => string | undefined;
  /** The embedded emulator while it runs. */
  readonly emulator: () => Emulator | undefined;
  readonly log: (message: string) => void;
}

export const INBOUND_FROM_THE_APP =
  "The demo account's DIDs ring this app's Phone view, not the checks' softphone: place an inbound call from " +
  'the Emulator view, or run `trunkline check --emulator`, whose softphone the inbound checks call.';

/** Undefined when the profile cannot make a softphone (the call checks then say they were skipped, and why). */
export function checkCallEnvironment(
  profile: TrunkProfile,
  sources: CheckCallSources,
): CallCheckEnvironment | undefined {
  const phone = softphoneProfile(profile, sources.password(profile.id));
  let uaProfile;
  try {
    uaProfile = loadUaProfile({ ...phone.input, listen: { address: '127.0.0.1', port: 0 } });
  } catch (error) {
    // A profile the Phone view could not dial with either; its own form names the field.
    sources.log(`The call checks cannot use the profile "${profile.name}": ${describeError(error)}`);
    return undefined;
  }
  const emulator = profile.kind === 'emulator' ? sources.emulator() : undefined;
  return createCallCheckEnvironment({
    clock: sources.clock,
    profile: uaProfile,
    ...(emulator !== undefined
      ? {
          transferNumber: EMULATOR_NUMBERS.transfer,
          emulator: {
            emulator,
            toneNumber: EMULATOR_NUMBERS.tone,
            toneHz: EMULATOR_NUMBERS.toneHz,
            inboundDid: undefined,
            fallbackDid: undefined,
            inboundCaller: EMULATOR_NUMBERS.inboundCaller,
            inboundUnavailableReason: INBOUND_FROM_THE_APP,
          },
        }
      : {}),
  });
}

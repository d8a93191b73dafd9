// The check target for a trunk profile (issue 7: "choose profile and checks"). The emulator's profile targets the
// embedded emulator where it really listens (its UDP port is picked at every start) with the public demo
// credentials and `isEmulator` set, the one thing that lets emulator-only probes run; a Zentrunk profile
// targets its domain (through its proxy when the profile names another host) with the password from the secret
// store, and `isEmulator` is never set for it, whatever the profile says.

import {
  CheckTargetError,
  DEMO_CREDENTIALS,
  EMULATOR_NUMBERS,
  SecretString,
  createCheckTarget,
  type CheckTarget,
  type CheckTargetInput,
} from '../../sip-core/src/index.js';
import type { EmulatorListener, TrunkProfile } from '../common/index.js';
import { CommandError } from './command-error.js';

export interface TargetSources {
  /** The embedded emulator's UDP listener while it runs. */
  readonly emulatorUdp: EmulatorListener | undefined;
  /** The stored SIP password of a Zentrunk profile. */
  readonly password: (profileId: string) => string | undefined;
}

export function checkTargetForProfile(
  profile: TrunkProfile,
  testNumber: string | undefined,
  sources: TargetSources,
): CheckTarget {
  // The emulator's echo number unless the user gave one: the call checks need somebody who answers and echoes.
  const dialled = testNumber ?? (profile.kind === 'emulator' ? EMULATOR_NUMBERS.echo : undefined);
  const common: Partial<CheckTargetInput> = {
    transport: profile.transport,
    ...(profile.callerIds[0] !== undefined ? { callerId: profile.callerIds[0] } : {}),
    ...(dialled !== undefined ? { testNumber: dialled } : {}),
  };
  if (profile.kind === 'emulator') {
    const udp = sources.emulatorUdp;
    if (udp === undefined) {
      throw new CommandError({
        code: 'unavailable',
        message: 'The embedded emulator is not running; start it in the Emulator view, then run the checks.',
        missing: 'a running embedded emulator',
      });
    }
    return build({
      ...common,
      terminationDomain: profile.trunkDomain,
      // The emulator's profile is UDP (defaults.ts); the listener the OS gave it is where SIP goes.
      transport: 'udp',
      outboundProxy: { host: udp.address, port: udp.port },
      credentials: {
        username: DEMO_CREDENTIALS.credential.username,
        password: new SecretString(DEMO_CREDENTIALS.credential.password),
      },
      isEmulator: true,
    });
  }
  const password = sources.password(profile.id);
  const sendsElsewhere = profile.proxyHost !== '' && profile.proxyHost !== profile.trunkDomain;
  return build({
    ...common,
    terminationDomain: profile.trunkDomain,
    port: profile.port,
    ...(sendsElsewhere ? { outboundProxy: { host: profile.proxyHost, port: profile.port } } : {}),
    ...(profile.username !== undefined && password !== undefined
      ? { credentials: { username: profile.username, password: new SecretString(password) } }
      : {}),
    isEmulator: false,
  });
}

function build(input: CheckTargetInput): CheckTarget {
  try {
    return createCheckTarget(input);
  } catch (error) {
    if (error instanceof CheckTargetError) {
      throw new CommandError({
        code: 'invalid_params',
        message: `${error.message} Fix it in Trunk profiles, then run the checks again.`,
      });
    }
    throw error;
  }
}

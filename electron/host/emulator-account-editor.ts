// The host's side of the Emulator view's account editor and its "place an inbound call" button. Saving validates
// the edited document with the emulator's own loader (every problem with its field, nothing written on error),
// writes the account file atomically, and applies it by restarting the embedded emulator (docs/adr/0145: a
// restart, not a hot reload — the emulator's policy, admission counters, far-end table and digest realm are
// built from the config once). The view warns about calls in progress before it asks.
//
// An inbound test call returns its id at once; its progress (ringing the PBX, answered, failed over to the
// fallback URI, failed with a cause) arrives as `emulator.event`s carrying that id.

import {
  describeError,
  loadEmulatorConfigOrThrow,
  newCallUuid,
  type Clock,
  type Emulator,
} from '../../sip-core/src/index.js';
import type { ApiError, EmulatorAccountDocument, EmulatorEvent } from '../common/index.js';
import type { EmbeddedEmulator } from './embedded-emulator.js';
import {
  accountDocument,
  readAccountDocument,
  type EmulatorAccountInput,
} from './emulator-account-document.js';
import { EmulatorAccountFile, demoAccountInput } from './emulator-account-file.js';

/** A refusal with the contract's code (the service maps it as it maps its own). */
export class AccountCommandError extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

export interface EmulatorAccountEditorOptions {
  readonly dataDir: string;
  readonly clock: Clock;
  /** Where a test call's late failure goes (the Emulator view's event log). */
  readonly onEvent: (event: EmulatorEvent) => void;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class EmulatorAccountEditor {
  readonly #options: EmulatorAccountEditorOptions;
  readonly #file: EmulatorAccountFile;
  #input: EmulatorAccountInput | undefined;

  constructor(options: EmulatorAccountEditorOptions) {
    this.#options = options;
    this.#file = new EmulatorAccountFile(options.dataDir);
  }

  /** Reads the saved account; returns the problem to show when a file was there and could not be used. */
  loadOnStart(): string | undefined {
    const loaded = this.#file.load(this.#options.clock.wallNow());
    this.#input = loaded.input;
    if (loaded.problem !== undefined) this.#options.log('warn', loaded.problem);
    return loaded.problem;
  }

  /** The saved account the emulator starts with; undefined: the demo account. */
  input(): EmulatorAccountInput | undefined {
    return this.#input;
  }

  /** Validates, writes and applies an edited account; refuses with every problem and writes nothing on error. */
  async save(document: unknown, emulator: EmbeddedEmulator): Promise<EmulatorAccountDocument> {
    const read = readAccountDocument(document, {
      previous: this.#input ?? demoAccountInput(),
      baseDir: this.#options.dataDir,
    });
    if (!read.ok) {
      const count = read.issues.length;
      throw new AccountCommandError({
        code: 'invalid_params',
        message: `The account was not saved: ${count} ${count === 1 ? 'field needs' : 'fields need'} fixing (marked in the editor). The emulator still serves the previous account.`,
        issues: read.issues,
      });
    }
    this.#file.save(read.input);
    this.#input = read.input;
    this.#options.log('info', `The emulator account was saved to ${this.#file.path}.`);
    await emulator.restart();
    return emulator.account() ?? accountDocument(read.config);
  }

  /** Back to the demo account; the saved file is kept as `.bak`. */
  async reset(emulator: EmbeddedEmulator): Promise<EmulatorAccountDocument> {
    this.#file.reset();
    this.#input = undefined;
    await emulator.restart();
    return (
      emulator.account() ??
      accountDocument(loadEmulatorConfigOrThrow({ overrides: { dataDir: this.#options.dataDir } }))
    );
  }

  /** Places an inbound test call and returns its id before the PBX answers. */
  placeInbound(
    emulator: Emulator,
    request: { readonly to: string; readonly from: string },
  ): { callUuid: string } {
    const callUuid = newCallUuid(this.#options.clock.wallNow());
    emulator.placeInboundCall({ ...request, callUuid }).catch((error: unknown) => {
      // The emulator reports failures of the call itself as events; this is one before the call began.
      this.#options.onEvent({
        atMs: this.#options.clock.wallNow(),
        kind: 'inbound_call',
        callUuid,
        message: `Inbound ${request.from} → ${request.to}: failed — ${describeError(error)}`,
        detail: { stage: 'failed', leg: null, sipStatus: null, causeCode: null, causeName: null },
      });
    });
    return { callUuid };
  }
}

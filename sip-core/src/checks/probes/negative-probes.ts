// The emulator-only negative probes: each sends the request a misconfigured PBX would send (a caller ID the
// account does not own, a barred country, a premium number, a blocked Australian caller ID, a number without
// its country code, an offer without G.711, wrong credentials, a burst above the trunk's CPS, methods Zentrunk
// lacks, `Require: 100rel`) and passes only when the emulator answers with the exact status and hangup code of
// BEHAVIOUR.md §20. They would be charged, look like fraud or get the source blocked on a real trunk, so they are
// `emulator-only`: the runner never runs them anywhere else (ADR 0110).

import { SecretString, lookupHangupCode } from '../../policy/index.js';
import type { SipResponse } from '../../sip/message/index.js';
import { withSipProbe } from '../network/network-check-services.js';
import type { ProbeResult, SipProbe } from '../network/sip-probe.js';
import { abortableDelay } from '../runner/abortable-delay.js';
import type {
  CheckContext,
  CheckDefinition,
  CheckOutcome,
  MeasuredValue,
} from '../runner/check-definition.js';
import { compareResponse, type Comparison } from './compare-response.js';
import type { ProbeCheckServices } from './probe-check-services.js';
import { probeExpectations, type ProbeExpectation, type ProbeId } from './probe-expectations.js';
import { planProbe, type ProbePlan } from './probe-plan.js';
import { buildUnsupportedRequest, observe, sendInvite, wrongPassword } from './probe-requests.js';

type Context = CheckContext<ProbeCheckServices>;
type Final = Extract<ProbeResult, { kind: 'final' }>;

/** Two INVITEs (a challenge and its answer), each bounded by Timer B (64·T1 = 32 s), and a margin. */
const INVITE_PROBE_TIMEOUT_MS = 75_000;

function probeCheck(id: ProbeId, title: string, description: string, timeoutMs = INVITE_PROBE_TIMEOUT_MS) {
  const check: CheckDefinition<ProbeCheckServices> = {
    id,
    title,
    description,
    // A probe needs the trunk to let it through authentication, so that the rule under test is reached.
    dependsOn: ['auth'],
    safety: 'emulator-only',
    timeoutMs,
    run: (context) => runProbe(id, context),
  };
  return check;
}

export const callerIdNotOwnedProbe = probeCheck(
  'probe-caller-id-not-owned',
  'Probe: caller ID not owned',
  'A call with a caller ID the account does not own is refused with 403 + 4190 unknown_caller_id.',
);
export const barredCountryProbe = probeCheck(
  'probe-barred-country',
  'Probe: barred country',
  'A call to a country the geo permissions bar is refused with 403 Barred Country + 4560 (or the configured 4650).',
);
export const premiumNumberProbe = probeCheck(
  'probe-premium-number',
  'Probe: premium number',
  'A call under a blocked high-risk prefix is refused with 403 Barred Number + 4570.',
);
export const auCliPrefixProbe = probeCheck(
  'probe-au-cli-prefix',
  'Probe: Australian CLI prefix',
  'A caller ID under +6113, +611300, +611800 or +611900 is refused with 403 + 4190.',
);
export const missingCountryCodeProbe = probeCheck(
  'probe-missing-country-code',
  'Probe: missing country code',
  'A destination dialled without its country code is refused with 404 Prefix Not Supported + 4100.',
);
export const codecMismatchProbe = probeCheck(
  'probe-codec-mismatch',
  'Probe: codec mismatch',
  'An offer without PCMU or PCMA is refused with 488 + 4620 (or the configured 415 + 4220).',
);
export const wrongCredentialsProbe = probeCheck(
  'probe-wrong-credentials',
  'Probe: wrong credentials',
  'A credential trunk challenges the INVITE (407), then refuses a digest with the wrong password: 403 + 4180.',
);
export const unsupportedMethodsProbe = probeCheck(
  'probe-unsupported-methods',
  'Probe: unsupported methods',
  'INFO, MESSAGE and REGISTER are refused with 405 Method Not Allowed and the Allow list of §20.',
  // Three requests, each bounded by Timer F (64·T1 = 32 s).
  110_000,
);
export const require100relProbe = probeCheck(
  'probe-require-100rel',
  'Probe: Require: 100rel',
  'An INVITE that requires reliable provisional responses is refused with 420 Bad Extension + Unsupported: 100rel.',
);
export const trunkCpsProbe = probeCheck(
  'probe-trunk-cps',
  'Probe: trunk CPS exceeded',
  'One call more than the trunk’s CPS, at once: the extra call is refused with 503 + 5180; the others are ended at once.',
);

/** The negative probes, in run order; the CPS burst last, so that its full CPS window delays no other probe. */
export const PROBE_CHECKS: readonly CheckDefinition<ProbeCheckServices>[] = [
  callerIdNotOwnedProbe,
  barredCountryProbe,
  premiumNumberProbe,
  auCliPrefixProbe,
  missingCountryCodeProbe,
  codecMismatchProbe,
  wrongCredentialsProbe,
  unsupportedMethodsProbe,
  require100relProbe,
  trunkCpsProbe,
];

async function runProbe(id: ProbeId, context: Context): Promise<CheckOutcome> {
  const facts = context.services.emulatorAccount;
  if (facts === undefined) {
    return {
      status: 'fail',
      summary: 'The emulator’s account is not known to the checks, so the probe cannot tell what to expect.',
      cause: {
        summary: 'The target is marked as the emulator, but the check services carry no emulator account.',
        errorCode: 'CHECKS_NO_EMULATOR_ACCOUNT',
      },
      remedy:
        'Run the probes with `trunkline check --emulator`, which hands the emulator’s account to the checks.',
    };
  }
  const expectation = probeExpectations(facts.settings)[id];
  if (expectation === undefined) {
    return { status: 'skipped', summary: 'Does not apply: the emulator’s settings switch this refusal off.' };
  }
  await context.services.callPacer?.quiet(context.signal);
  return withSipProbe(context, async (probe) => {
    const plan = planProbe(id, facts, context.target, probe.localAddress);
    if (plan.kind === 'not-applicable')
      return { status: 'skipped', summary: `Does not apply: ${plan.reason}.` };
    if (plan.kind === 'unusable') {
      return {
        status: 'fail',
        summary: `The probe cannot run: ${plan.reason}.`,
        cause: { summary: `The probe cannot run: ${plan.reason}.` },
        remedy:
          'Point the check at one of the emulator account’s outbound trunks, with one of its numbers as caller ID.',
      };
    }
    context.note(`Sent: ${plan.what}.`);
    context.note(`Expected: ${expectation.source}.`);
    switch (plan.kind) {
      case 'invite':
        return inviteProbe(context, probe, plan, expectation);
      case 'wrong-credentials':
        return wrongCredentials(context, probe, plan, expectation, facts.account);
      case 'burst':
        return burst(context, probe, plan, expectation);
      case 'methods':
        return methods(context, probe, plan, expectation);
    }
  });
}

async function inviteProbe(
  context: Context,
  probe: SipProbe,
  plan: Extract<ProbePlan, { kind: 'invite' }>,
  expectation: ProbeExpectation,
): Promise<CheckOutcome> {
  const outcome = await sendInvite(probe, plan, context.target.credentials, context.signal);
  context.recordSip(probe.takeEvidence(plan.what));
  return judge(plan.what, outcome.final, expectation);
}

async function wrongCredentials(
  context: Context,
  probe: SipProbe,
  plan: Extract<ProbePlan, { kind: 'wrong-credentials' }>,
  expectation: ProbeExpectation,
  account: {
    readonly credentials: ReadonlyArray<{ readonly username: string; readonly password: SecretString }>;
  },
): Promise<CheckOutcome> {
  const real = account.credentials.find((c) => c.username === plan.username)?.password;
  const credentials = { username: plan.username, password: new SecretString(wrongPassword(real)) };
  const outcome = await sendInvite(probe, { call: plan.call, offer: 'g711' }, credentials, context.signal);
  context.recordSip(probe.takeEvidence(plan.what));
  const first = outcome.first;
  if (first.kind === 'final' && first.response.statusCode !== expectation.challengeStatus) {
    const observed = `${first.response.statusCode} ${first.response.reasonPhrase}`;
    return mismatch(
      plan.what,
      expectation,
      first.response,
      [`the unauthenticated INVITE got ${observed} instead of the ${expectation.challengeStatus} challenge`],
      [
        { name: 'expectedChallengeStatus', value: expectation.challengeStatus ?? 0 },
        { name: 'observedChallengeStatus', value: first.response.statusCode },
      ],
    );
  }
  const result = judge(plan.what, outcome.final, expectation);
  const challenge: MeasuredValue[] =
    first.kind === 'final' ? [{ name: 'observedChallengeStatus', value: first.response.statusCode }] : [];
  return { ...result, measurements: [...challenge, ...(result.measurements ?? [])] };
}

async function burst(
  context: Context,
  probe: SipProbe,
  plan: Extract<ProbePlan, { kind: 'burst' }>,
  expectation: ProbeExpectation,
): Promise<CheckOutcome> {
  const outcomes = await Promise.all(
    Array.from({ length: plan.size }, () =>
      sendInvite(probe, { call: plan.call, offer: 'g711' }, context.target.credentials, context.signal),
    ),
  );
  context.recordSip(probe.takeEvidence(plan.what));
  // Calls let through took a slot of the trunk's one-second window: wait it out (ADR 0119), so that the check
  // after this one is not refused for a rate it did not cause.
  await abortableDelay(context.clock, 1_000, context.signal);
  const finals = outcomes.map((o) => o.final);
  const unanswered = finals.filter((f) => f.kind !== 'final');
  const answered = finals.filter((f): f is Final => f.kind === 'final');
  const refused = answered.filter((f) => f.response.statusCode === expectation.status);
  const admitted = answered.filter((f) => f.response.statusCode < 300 || f.cancelled);
  const other = answered.filter((f) => !refused.includes(f) && !admitted.includes(f));
  const measurements: MeasuredValue[] = [
    { name: 'burstSize', value: plan.size },
    { name: 'trunkCps', value: plan.trunkCps },
    { name: 'admittedCalls', value: admitted.length },
    { name: 'refusedCalls', value: refused.length },
    // Every admitted call was CANCELled while it rang or ACKed and ended with BYE before the probe went on.
    { name: 'callsEnded', value: admitted.length },
    { name: 'observedStatuses', value: answered.map((f) => f.response.statusCode).join(',') },
  ];
  if (unanswered.length > 0) return unreachable(plan.what, unanswered[0], measurements);
  if (refused.length === 0) {
    return {
      status: 'fail',
      summary: `${plan.what}: none was refused.`,
      measurements,
      cause: {
        summary: `${plan.size} calls in one second on a trunk with ${plan.trunkCps} CPS were all let through; expected ${expectation.source}.`,
        sipStatus: answered[0]?.response.statusCode ?? 0,
      },
      remedy: expectation.remedy,
    };
  }
  const comparison = compareResponse(expectation, observe(refused[0].response, []));
  if (!comparison.matches || other.length > 0) {
    const extra = other.map((f) => `another call got ${f.response.statusCode} ${f.response.reasonPhrase}`);
    return mismatch(
      plan.what,
      expectation,
      refused[0].response,
      [...comparison.mismatches, ...extra],
      measurements,
    );
  }
  return passed(
    refused[0].response,
    comparison,
    measurements,
    `${refused.length} of ${plan.size} calls refused`,
  );
}

async function methods(
  context: Context,
  probe: SipProbe,
  plan: Extract<ProbePlan, { kind: 'methods' }>,
  expectation: ProbeExpectation,
): Promise<CheckOutcome> {
  const measurements: MeasuredValue[] = [];
  const mismatches: string[] = [];
  let last: SipResponse | undefined;
  for (const method of plan.methods) {
    const result = await probe.request(buildUnsupportedRequest(probe, method, plan.call), context.signal);
    context.recordSip(probe.takeEvidence(`${method} outside a dialog`));
    if (result.kind !== 'final') return unreachable(`${method} outside a dialog`, result, measurements);
    last = result.response;
    const comparison = compareResponse(
      expectation,
      observe(
        result.response,
        expectation.headers.map((h) => h.name),
      ),
    );
    measurements.push({ name: `${method}Status`, value: result.response.statusCode });
    const allow = result.response.headers.getAll('Allow').join(', ');
    if (allow.length > 0) measurements.push({ name: `${method}Allow`, value: allow });
    mismatches.push(...comparison.mismatches.map((m) => `${method}: ${m}`));
  }
  if (mismatches.length > 0) return mismatch(plan.what, expectation, last!, mismatches, measurements);
  return {
    status: 'pass',
    summary: `${plan.methods.join(', ')} refused as specified: ${expectation.status}${
      expectation.headers.length > 0 ? ' with the Allow list of §20' : ''
    }.`,
    measurements,
  };
}

function judge(what: string, final: ProbeResult, expectation: ProbeExpectation): CheckOutcome {
  if (final.kind !== 'final') return unreachable(what, final, []);
  const comparison = compareResponse(
    expectation,
    observe(
      final.response,
      expectation.headers.map((h) => h.name),
    ),
  );
  if (!comparison.matches)
    return mismatch(what, expectation, final.response, comparison.mismatches, comparison.measurements);
  return passed(final.response, comparison, [], 'Refused as specified');
}

function passed(
  response: SipResponse,
  comparison: Comparison,
  extra: readonly MeasuredValue[],
  lead: string,
): CheckOutcome {
  const code = observe(response, []).hangupCode;
  const name = code === undefined ? undefined : lookupHangupCode(code)?.causeName;
  return {
    status: 'pass',
    summary: `${lead}: ${response.statusCode} ${response.reasonPhrase}${code !== undefined ? `, ${code}${name ? ` ${name}` : ''}` : ''}.`,
    measurements: [...extra, ...comparison.measurements],
  };
}

function mismatch(
  what: string,
  expectation: ProbeExpectation,
  response: SipResponse,
  mismatches: readonly string[],
  measurements: readonly MeasuredValue[],
): CheckOutcome {
  const code = observe(response, []).hangupCode;
  const entry = code === undefined ? undefined : lookupHangupCode(code);
  return {
    status: 'fail',
    summary: `${what}: ${mismatches.join('; ')}.`,
    measurements,
    cause: {
      summary: `The emulator answered ${response.statusCode} ${response.reasonPhrase}${
        code !== undefined ? ` (${code})` : ''
      } where ${expectation.source}: ${mismatches.join('; ')}.`,
      sipStatus: response.statusCode,
      ...(entry !== undefined ? { hangupCode: entry.code, hangupCauseName: entry.causeName } : {}),
    },
    remedy: expectation.remedy,
  };
}

function unreachable(
  what: string,
  result: ProbeResult,
  measurements: readonly MeasuredValue[],
): CheckOutcome {
  const timeout = result.kind === 'timeout';
  const message = result.kind === 'transport-error' ? result.message : 'no final response (Timer B/F)';
  return {
    status: 'fail',
    summary: `${what}: ${message}.`,
    measurements,
    cause: {
      summary: timeout
        ? `The emulator did not answer: ${message}.`
        : `The request could not be sent: ${message}.`,
      errorCode: timeout
        ? 'TIMER_B'
        : result.kind === 'transport-error'
          ? (result.code ?? 'TRANSPORT_ERROR')
          : 'UNKNOWN',
    },
    remedy: 'Check that the emulator is running and listening on the target’s address, port and transport.',
  };
}

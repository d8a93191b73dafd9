// What the dial field shows while the user types: the E.164 form, the country and the number type (policy's
// number intelligence), or why Zentrunk would refuse the number as typed.

export type NumberType =
  | 'fixed-line'
  | 'mobile'
  | 'fixed-line-or-mobile'
  | 'toll-free'
  | 'premium-rate'
  | 'shared-cost'
  | 'voip'
  | 'personal-number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

export type NumberProblem =
  'empty' | 'not-a-number' | 'no-country-code' | 'unknown-country-code' | 'impossible-length';

export type NumberClassification =
  | {
      readonly ok: true;
      readonly e164: string;
      /** ISO 3166-1 alpha-2, when the number tells. */
      readonly country: string | undefined;
      readonly possibleCountries: readonly string[];
      readonly valid: boolean;
      readonly type: NumberType;
      /** When the user typed a national number and the profile's default country made it E.164. */
      readonly readAsNationalOf?: string;
      /** A one-line hint, e.g. `+44 20 7946 0000 · GB · fixed line`. */
      readonly hint: string;
    }
  | {
      readonly ok: false;
      readonly problem: NumberProblem;
      /** A sentence the user can act on, naming the Zentrunk code when there is one (4100, 4120). */
      readonly hint: string;
      /** A suggested E.164 form, when the number reads as a national number of the profile's country. */
      readonly suggestion?: string;
    };

export interface PreDialWarning {
  readonly code: number | undefined;
  readonly causeName: string | undefined;
  readonly sipStatus: number | undefined;
  readonly ruleId: string;
  /** The BEHAVIOUR.md section of the rule. */
  readonly section: string;
  /** The evidence grade of the modelled behaviour (`D`…`I`). */
  readonly grade: string;
  readonly message: string;
}

export interface PreDialCheck {
  readonly number: NumberClassification;
  readonly warnings: readonly PreDialWarning[];
  /** How much the check knew: `account` (the emulator's full account) or `profile` (what the user entered). */
  readonly knowledge: 'account' | 'profile';
}

// The contract (electron/common) imports nothing, so it keeps its own copies of a few engine types. These
// compile-time checks fail the type-check the day the engine's type and the contract's copy drift apart.

import type { NumberType as EngineNumberType, PreDialKnowledge } from '../../sip-core/src/index.js';
import type { AccountKnowledge, NumberType } from '../common/index.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The contract's number types are policy's number types. */
export const NUMBER_TYPES_MATCH: Same<NumberType, EngineNumberType> = true;
/** A profile's account knowledge is what policy's pre-dial check takes. */
export const ACCOUNT_KNOWLEDGE_MATCHES: Same<
  { [K in keyof AccountKnowledge]-?: NonNullable<AccountKnowledge[K]> },
  { [K in keyof PreDialKnowledge]-?: NonNullable<PreDialKnowledge[K]> }
> = true;

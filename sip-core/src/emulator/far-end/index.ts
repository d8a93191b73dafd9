// The far-end folder's front door: scenario specs, the table and its lookup, the built-in numbers, and scripts.

export {
  ECHO,
  RINGBACK_TONE,
  TEST_TONE,
  mediaSourceSchema,
  type MediaSource,
  type MediaSourceInput,
} from './media-source.js';
export {
  farEndScenarioSchema,
  type AnswerScenario,
  type FarEndScenario,
  type FarEndScenarioInput,
  type NoAnswerScenario,
  type RejectScenario,
} from './far-end-scenario.js';
export {
  FarEndTable,
  farEndEntrySchema,
  farEndTableSchema,
  parseFarEndTable,
  type FarEndEntry,
  type FarEndEntryInput,
  type FarEndMatch,
  type FarEndTableConfig,
  type FarEndTableInput,
} from './far-end-table.js';
export {
  BUILT_IN_DEFAULT_SCENARIO,
  BUILT_IN_FAR_END_NUMBERS,
  ECHO_NUMBER,
} from './built-in-far-end-numbers.js';
export {
  scenarioScript,
  type FarEndRule,
  type ScenarioScript,
  type ScenarioScriptOptions,
  type ScenarioStep,
  type ScenarioStepKind,
} from './scenario-script.js';
export {
  FAR_END_MUTE_DIRECTIONS,
  farEndImpairmentSchema,
  isImpaired,
  mutedSink,
  mutedSource,
  type FarEndImpairment,
  type FarEndImpairmentInput,
  type FarEndMuteDirection,
} from './far-end-impairment.js';

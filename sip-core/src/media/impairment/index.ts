// Front door of media/impairment: a userspace bad network (loss, bursts, delay, jitter, reordering, duplication,
// drop-everything) for the media path, seeded for reproducibility.
export { ImpairmentError, type ImpairmentErrorCode } from './impairment-error.js';
export {
  type GilbertElliottLoss,
  type ImpairmentDecision,
  type ImpairmentDropReason,
  ImpairmentModel,
  type ImpairmentProfile,
  validateImpairmentProfile,
} from './impairment-model.js';
export { ImpairmentStage, type ImpairmentStageOptions, type ImpairmentStats } from './impairment-stage.js';
export {
  ImpairedRtpTransport,
  type ImpairedRtpTransportOptions,
  type ImpairedTransportStats,
} from './impaired-rtp-transport.js';
export { SeededRandom } from './seeded-random.js';

// The renderer's audio path for the live call: getUserMedia (echo cancellation, noise suppression, auto gain as
// the settings say) → the `trunkline-pcm` AudioWorklet, which cuts 8 kHz 20 ms frames for the host and plays the
// host's frames → the speaker (`setSinkId` where the browser has it). Levels for the meters come from the frames
// themselves. The last two seconds of received audio are kept for `receivedSamples()` (the e2e suite reads them
// to check the echo carries the fake microphone's 440 Hz tone).

import type { AudioFrame, AudioSettings, PhoneApi, Unsubscribe } from '../../../electron/common/index.js';
import type { AudioLevels, CallAudio } from './call-audio.js';
import { CLICK_HOLD_OFF_MS, CLICK_THRESHOLD } from './latency-click.js';
import { FRAME_SAMPLES, frameDbfs } from './pcm-resampler.js';
import pcmWorkletUrl from './pcm-worklet.ts?worker&url';

/** Received audio kept for inspection: 2 s at 8 kHz. */
const TAP_SAMPLES = 16_000;
/** How fast a meter falls back (per frame of 20 ms), so it reads like a VU meter and not like noise. */
const METER_DECAY_DB = 1.5;

/** Edges kept for the latency probe (bench:app runs for seconds, one click a second). */
const MAX_EDGES = 200;

type WorkletMessage =
  | { type: 'frame'; samples: Int16Array; atFrame: number }
  | { type: 'edge'; edge: 'in' | 'out'; atFrame: number }
  | { type: 'queue'; queue: PlaybackQueueCounters };

/** The worklet's playback queue, as the latency probe reports it. */
export interface PlaybackQueueCounters {
  readonly underruns: number;
  readonly overruns: number;
  /** Frames inserted or dropped to hold the queue at its target level (drift compensation). */
  readonly adjustments: number;
  /** Queued 8 kHz samples when reported. */
  readonly queuedSamples: number;
}

/**
 * The page's moments of a click on the way (bench:app's per-stage budget, ADR 0149): the worklet's edge messages
 * as they reach the page, and the first loud frame sent to and received from the host. Milliseconds since the
 * Unix epoch (`performance.timeOrigin + performance.now()`), the scale the host's tap uses.
 */
export type PageLatencyStage =
  'page-mic-edge' | 'page-frame-sent' | 'page-frame-received' | 'page-speaker-edge';

/** A sample louder than this (of Int16 full scale) starts a click. */
const LOUD_SAMPLE = Math.round(CLICK_THRESHOLD * 32767);

/** What bench:app reads: loud edges on the worklet's audio clock, and what the sound card adds after it. */
export interface LatencyProbe {
  readonly sampleRateHz: number;
  /** The context's output latency (after the worklet), ms; 0 where the browser does not say. */
  readonly outputLatencyMs: number;
  /** Of which the context's own processing latency (`baseLatency`), ms. */
  readonly baseLatencyMs: number;
  readonly edges: readonly { readonly edge: 'in' | 'out'; readonly atFrame: number }[];
  readonly stages: readonly { readonly stage: PageLatencyStage; readonly epochMs: number }[];
  /** The worklet's playback queue counters, last reported (undefined before the first report). */
  readonly playbackQueue: PlaybackQueueCounters | undefined;
}

interface Running {
  readonly context: AudioContext;
  readonly stream: MediaStream;
  readonly node: AudioWorkletNode;
  readonly source: MediaStreamAudioSourceNode;
}

/** `AudioContext.setSinkId` (Chrome 110+), not yet in TypeScript's DOM lib. */
type SinkSelectable = AudioContext & { setSinkId?: (sinkId: string) => Promise<void> };

export class AudioEngine implements CallAudio {
  readonly #api: PhoneApi;
  readonly #unsubscribe: Unsubscribe;
  readonly #tap = new Int16Array(TAP_SAMPLES);
  #tapWrite = 0;
  #context: AudioContext | undefined;
  #running: Promise<Running> | undefined;
  #callId: string | undefined;
  #sequence = 0;
  #inputDbfs = -100;
  #outputDbfs = -100;
  readonly #edges: { edge: 'in' | 'out'; atFrame: number }[] = [];
  readonly #stages: { stage: PageLatencyStage; epochMs: number }[] = [];
  readonly #lastStageMs = new Map<PageLatencyStage, number>();
  #measuring = false;
  #playbackQueue: PlaybackQueueCounters | undefined;

  constructor(api: PhoneApi) {
    this.#api = api;
    this.#unsubscribe = api.onAudio((frame) => this.#onReceived(frame));
  }

  prime(): void {
    this.#context ??= new AudioContext({ latencyHint: 'interactive' });
    void this.#context.resume().catch(() => undefined);
  }

  async start(callId: string, settings: AudioSettings): Promise<void> {
    if (this.#callId !== callId) {
      this.#callId = callId;
      this.#sequence = 0;
      const running = await this.#running;
      running?.node.port.postMessage({ type: 'clear' });
    }
    this.#running ??= this.#open(settings);
    try {
      await this.#running;
    } catch (error) {
      this.#running = undefined;
      this.#callId = undefined;
      throw new Error(microphoneProblem(error), { cause: error });
    }
  }

  stop(): void {
    this.#callId = undefined;
    const running = this.#running;
    this.#running = undefined;
    this.#inputDbfs = -100;
    this.#outputDbfs = -100;
    void running?.then(
      (r) => {
        r.source.disconnect();
        r.node.disconnect();
        for (const track of r.stream.getTracks()) track.stop();
      },
      () => undefined,
    );
  }

  async applySettings(settings: AudioSettings): Promise<void> {
    const callId = this.#callId;
    if (callId === undefined) return;
    this.stop();
    await this.start(callId, settings);
  }

  levels(): AudioLevels {
    return { inputDbfs: this.#inputDbfs, outputDbfs: this.#outputDbfs };
  }

  /** The last two seconds of received audio of the live call, oldest first (8 kHz). */
  receivedSamples(): Int16Array {
    const out = new Int16Array(TAP_SAMPLES);
    out.set(this.#tap.subarray(this.#tapWrite));
    out.set(this.#tap.subarray(0, this.#tapWrite), TAP_SAMPLES - this.#tapWrite);
    return out;
  }

  /**
   * Starts reporting loud onsets entering the worklet from the microphone and leaving it to the speaker, on the
   * audio clock (bench:app's mouth-to-ear measurement; off in normal use).
   */
  async startLatencyProbe(): Promise<void> {
    const running = await this.#running;
    this.#measuring = true;
    running?.node.port.postMessage({ type: 'measure' });
  }

  latencyProbe(): LatencyProbe {
    const context = this.#context;
    return {
      sampleRateHz: context?.sampleRate ?? 0,
      outputLatencyMs: ((context?.outputLatency ?? 0) + (context?.baseLatency ?? 0)) * 1000,
      baseLatencyMs: (context?.baseLatency ?? 0) * 1000,
      edges: [...this.#edges],
      stages: [...this.#stages],
      playbackQueue: this.#playbackQueue,
    };
  }

  dispose(): void {
    this.stop();
    this.#unsubscribe();
    void this.#context?.close();
    this.#context = undefined;
  }

  async #open(settings: AudioSettings): Promise<Running> {
    this.prime();
    const context = this.#context as SinkSelectable;
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: settings.echoCancellation,
        noiseSuppression: settings.noiseSuppression,
        autoGainControl: settings.autoGainControl ?? true,
        channelCount: 1,
        ...(settings.inputDeviceId !== undefined ? { deviceId: { exact: settings.inputDeviceId } } : {}),
      },
    });
    if (settings.outputDeviceId !== undefined && typeof context.setSinkId === 'function') {
      // An output that went away falls back to the default; the call goes on.
      await context.setSinkId(settings.outputDeviceId).catch(() => undefined);
    }
    await context.audioWorklet.addModule(pcmWorkletUrl);
    const node = new AudioWorkletNode(context, 'trunkline-pcm', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    node.port.onmessage = (event: MessageEvent<WorkletMessage>) => {
      const message = event.data;
      if (message.type === 'frame') this.#onMicrophone(message.samples);
      else if (message.type === 'queue') this.#playbackQueue = message.queue;
      else if (this.#edges.length < MAX_EDGES) {
        this.#edges.push({ edge: message.edge, atFrame: message.atFrame });
        this.#stage(message.edge === 'in' ? 'page-mic-edge' : 'page-speaker-edge');
      }
    };
    const source = context.createMediaStreamSource(stream);
    source.connect(node);
    node.connect(context.destination);
    return { context, stream, node, source };
  }

  #onMicrophone(samples: Int16Array): void {
    const callId = this.#callId;
    if (callId === undefined || samples.length !== FRAME_SAMPLES) return;
    this.#inputDbfs = Math.max(frameDbfs(samples), this.#inputDbfs - METER_DECAY_DB);
    if (this.#measuring && isLoud(samples)) this.#stage('page-frame-sent');
    this.#api.sendAudio({ callId, sequence: this.#sequence, samples });
    this.#sequence = (this.#sequence + 1) & 0xffff;
  }

  #onReceived(frame: AudioFrame): void {
    if (frame.callId !== this.#callId) return;
    this.#outputDbfs = Math.max(frameDbfs(frame.samples), this.#outputDbfs - METER_DECAY_DB);
    if (this.#measuring && isLoud(frame.samples)) this.#stage('page-frame-received');
    for (const sample of frame.samples) {
      this.#tap[this.#tapWrite] = sample;
      this.#tapWrite = (this.#tapWrite + 1) % TAP_SAMPLES;
    }
    void this.#running?.then((r) => r.node.port.postMessage({ type: 'play', samples: frame.samples }));
  }

  /** Notes the moment a click passes `stage` (once per click: onsets within the hold-off are the same click). */
  #stage(stage: PageLatencyStage): void {
    const epochMs = performance.timeOrigin + performance.now();
    const last = this.#lastStageMs.get(stage);
    if ((last !== undefined && epochMs - last < CLICK_HOLD_OFF_MS) || this.#stages.length >= 4 * MAX_EDGES)
      return;
    this.#lastStageMs.set(stage, epochMs);
    this.#stages.push({ stage, epochMs });
  }
}

function isLoud(samples: Int16Array): boolean {
  for (let i = 0; i < samples.length; i++) if (Math.abs(samples[i] ?? 0) >= LOUD_SAMPLE) return true;
  return false;
}

/** What went wrong with the microphone, in words the user can act on. */
export function microphoneProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
      return 'Trunkline may not use the microphone. Allow microphone access for this page (or the app) and answer or call again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'The selected microphone is not connected. Pick another input in Audio settings.';
    case 'NotReadableError':
      return 'The microphone is in use by another program or cannot be opened. Close the other program or pick another input.';
    default:
      return `The audio path could not start (${error instanceof Error ? error.message : String(error)}). The call continues without your microphone.`;
  }
}

import type { FeatureAvailability } from '../../../electron/common/index.js';

export interface UnavailableNoticeProps {
  readonly title: string;
  readonly availability: FeatureAvailability | undefined;
  /** What the feature will do, so the user knows what to expect. */
  readonly willDo: string;
}

/** An honest "not in this build yet" panel: what is missing, in the host's words, and nothing pretended. */
export function UnavailableNotice({ title, availability, willDo }: UnavailableNoticeProps) {
  if (availability === undefined || availability.available) return null;
  return (
    <section className="card card--muted" data-testid="unavailable-notice" role="status">
      <h3>{title}</h3>
      <p>{availability.message}</p>
      <p className="muted">{willDo}</p>
      <p className="muted small">
        Waiting for: <code>{availability.missing}</code>
      </p>
    </section>
  );
}

import type { CSSProperties } from 'react';
import type { CallLadderView } from '../../../electron/common/index.js';

export interface LadderDiagramProps {
  readonly ladder: CallLadderView;
  readonly selectedArrow: number | undefined;
  readonly onSelectArrow: (index: number | undefined) => void;
}

/**
 * The SIP ladder: one column per participant, one row per message with its time offset, an arrow from sender to
 * receiver. Clicking a row shows the full message.
 */
export function LadderDiagram({ ladder, selectedArrow, onSelectArrow }: LadderDiagramProps) {
  const columns = ladder.participants.length;
  const selected = ladder.arrows.find((a) => a.index === selectedArrow);
  return (
    <div className="ladder" data-testid="ladder">
      <div className="ladder__head" style={{ gridTemplateColumns: `5rem repeat(${columns}, 1fr)` }}>
        <span />
        {ladder.participants.map((p) => (
          <span key={p.id} className="ladder__participant">
            <strong>{p.label}</strong>
            <span className="muted small mono">{p.endpoint}</span>
          </span>
        ))}
      </div>
      <ol className="ladder__rows">
        {ladder.arrows.map((arrow) => {
          const left = Math.min(arrow.from, arrow.to);
          const right = Math.max(arrow.from, arrow.to);
          const rightward = arrow.to > arrow.from;
          const kind = arrow.kind === 'response' && (arrow.status ?? 0) >= 300 ? 'error' : arrow.kind;
          return (
            <li key={arrow.index}>
              <button
                type="button"
                data-testid="ladder-arrow"
                className={`ladder__row${arrow.index === selectedArrow ? ' is-selected' : ''}`}
                style={{ gridTemplateColumns: `5rem repeat(${columns}, 1fr)` }}
                onClick={() => onSelectArrow(arrow.index === selectedArrow ? undefined : arrow.index)}
              >
                <span className="ladder__time mono">+{(arrow.offsetMs / 1000).toFixed(3)}s</span>
                <span
                  className={`ladder__arrow ladder__arrow--${kind}${rightward ? '' : ' ladder__arrow--left'}`}
                  style={
                    {
                      gridColumn: `${left + 2} / ${right + 3}`,
                      '--span': String(right - left + 1),
                    } as CSSProperties
                  }
                >
                  <span className="ladder__label">
                    {arrow.label}
                    {arrow.retransmission ? ' (retransmission)' : ''}
                    {arrow.sdp ? ` · SDP ${arrow.sdp.direction} ${arrow.sdp.codecs.join(',')}` : ''}
                  </span>
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {selected !== undefined && (
        <pre className="ladder__message" data-testid="ladder-message">
          {selected.text}
        </pre>
      )}
    </div>
  );
}

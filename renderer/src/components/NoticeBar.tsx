import type { Notice } from '../store/app-slice.js';

export interface NoticeBarProps {
  readonly notices: readonly Notice[];
  readonly onDismiss: (id: number) => void;
}

export function NoticeBar({ notices, onDismiss }: NoticeBarProps) {
  if (notices.length === 0) return null;
  return (
    <div className="notices" role="alert">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice--${n.level}`}>
          <span>{n.message}</span>
          <button type="button" className="link-button" onClick={() => onDismiss(n.id)} aria-label="Dismiss">
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}

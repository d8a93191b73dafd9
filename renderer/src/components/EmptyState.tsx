import type { ReactNode } from 'react';

export interface EmptyStateProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly action?: ReactNode;
  readonly testId?: string;
}

/** What a view shows when it has nothing yet: what this place is for, and what to do next. */
export function EmptyState({ title, children, action, testId }: EmptyStateProps) {
  return (
    <div className="empty-state" data-testid={testId}>
      <h3>{title}</h3>
      <div className="empty-state__body">{children}</div>
      {action !== undefined && <div className="empty-state__action">{action}</div>}
    </div>
  );
}

// The account editor's labelled inputs: each has a real <label>, shows its problem under it, and marks itself
// `aria-invalid` with the problem as its description, so a screen reader reads the problem with the field.

import { useEffect, useId, useState, type ReactNode } from 'react';
import { splitList } from './account-draft.js';

interface FieldFrameProps {
  readonly label: string;
  readonly problem?: string | undefined;
  readonly help?: string;
  readonly testId: string;
  readonly children: (ids: { id: string; describedBy: string | undefined }) => ReactNode;
}

function FieldFrame({ label, problem, help, testId, children }: FieldFrameProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = problem ?? help;
  return (
    <div className="form-field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy: note !== undefined ? noteId : undefined })}
      {problem !== undefined ? (
        <span id={noteId} className="form-field__problem" data-testid={`problem-${testId}`}>
          {problem}
        </span>
      ) : (
        help !== undefined && (
          <span id={noteId} className="muted small">
            {help}
          </span>
        )
      )}
    </div>
  );
}

interface BaseProps {
  readonly label: string;
  readonly problem?: string | undefined;
  readonly help?: string;
  readonly testId: string;
}

export function TextField(
  props: BaseProps & {
    readonly value: string;
    readonly onChange: (value: string) => void;
    readonly type?: 'text' | 'password';
    readonly placeholder?: string;
  },
) {
  return (
    <FieldFrame {...props}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type={props.type ?? 'text'}
          value={props.value}
          placeholder={props.placeholder}
          autoComplete={props.type === 'password' ? 'new-password' : 'off'}
          aria-invalid={props.problem !== undefined}
          aria-describedby={describedBy}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </FieldFrame>
  );
}

/** A number; empty is `undefined` (the caller decides what empty means: a default, unlimited…). */
export function NumericField(
  props: BaseProps & {
    readonly value: number | null | undefined;
    readonly onChange: (value: number | undefined) => void;
    readonly placeholder?: string;
  },
) {
  return (
    <FieldFrame {...props}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type="number"
          value={props.value ?? ''}
          placeholder={props.placeholder}
          aria-invalid={props.problem !== undefined}
          aria-describedby={describedBy}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
        />
      )}
    </FieldFrame>
  );
}

export function SelectField<V extends string>(
  props: BaseProps & {
    readonly value: V;
    readonly options: readonly { readonly value: V; readonly label: string }[];
    readonly onChange: (value: V) => void;
  },
) {
  return (
    <FieldFrame {...props}>
      {({ id, describedBy }) => (
        <select
          id={id}
          value={props.value}
          aria-invalid={props.problem !== undefined}
          aria-describedby={describedBy}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value as V)}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function CheckField(
  props: Omit<BaseProps, 'problem'> & {
    readonly checked: boolean;
    readonly onChange: (checked: boolean) => void;
  },
) {
  return (
    <label className="check-field">
      <input
        type="checkbox"
        checked={props.checked}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.checked)}
      />{' '}
      {props.label}
      {props.help !== undefined && <span className="muted small"> — {props.help}</span>}
    </label>
  );
}

/**
 * A list typed as text (commas, spaces or new lines between entries). The text stays as typed while the list
 * it means goes to the draft; a list changed from outside (Cancel) replaces the text.
 */
export function ListField(
  props: BaseProps & {
    readonly value: readonly string[];
    readonly onChange: (value: string[]) => void;
    readonly placeholder?: string;
    readonly multiline?: boolean;
  },
) {
  const [text, setText] = useState(props.value.join(props.multiline ? '\n' : ', '));
  const joined = props.value.join('\u0000');
  useEffect(() => {
    if (splitList(text).join('\u0000') !== joined) setText(props.value.join(props.multiline ? '\n' : ', '));
    // Only an outside change of the list resets the text; typing never does (`text` is left out on purpose).
  }, [joined]);
  const change = (next: string) => {
    setText(next);
    props.onChange(splitList(next));
  };
  return (
    <FieldFrame {...props}>
      {({ id, describedBy }) =>
        props.multiline ? (
          <textarea
            id={id}
            rows={3}
            value={text}
            placeholder={props.placeholder}
            aria-invalid={props.problem !== undefined}
            aria-describedby={describedBy}
            data-testid={props.testId}
            onChange={(e) => change(e.target.value)}
          />
        ) : (
          <input
            id={id}
            type="text"
            value={text}
            placeholder={props.placeholder}
            aria-invalid={props.problem !== undefined}
            aria-describedby={describedBy}
            data-testid={props.testId}
            onChange={(e) => change(e.target.value)}
          />
        )
      }
    </FieldFrame>
  );
}

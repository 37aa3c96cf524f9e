import { getErrorCode } from '@hearth/client';
import { type ReactNode, useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogTrigger,
  FieldError,
  Form,
  Heading,
  Label,
  Modal,
  Radio,
  RadioGroup,
  Text,
} from 'react-aria-components';
import { ErrorText, fieldErrorsOf } from '../errors.js';
import { usePerson } from './staff-hooks.js';

/** A date and time in the reader's own locale. */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "in 40 minutes", "3 hours ago". */
export function formatRelative(iso: string, now: number): string {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  const abs = Math.abs(minutes);
  if (abs < 60) return relative.format(minutes, 'minute');
  if (abs < 48 * 60) return relative.format(Math.round(minutes / 60), 'hour');
  return relative.format(Math.round(minutes / 1440), 'day');
}

/** How long ago a deadline passed: "3 minutes", "2 hours". */
export function formatOverdue(iso: string, now: number): string {
  const minutes = Math.max(1, Math.round((now - new Date(iso).getTime()) / 60_000));
  const [amount, unit] =
    minutes < 60
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [Math.round(minutes / 60), 'hour']
        : [Math.round(minutes / 1440), 'day'];
  return new Intl.NumberFormat(undefined, { style: 'unit', unit, unitDisplay: 'long' }).format(
    amount,
  );
}

/** The current time, moving on every `everyMs`, for deadlines that pass while a page is open. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * A person's name from their id (their display name, or username), for staff reading queues
 * and timelines. `nobody` is shown for a missing id.
 */
export function PersonName({
  userId,
  nobody = 'Nobody',
}: {
  userId: string | null;
  nobody?: string;
}) {
  const person = usePerson(userId);
  if (!userId) return <>{nobody}</>;
  if (person.data) return <>{person.data.displayName ?? person.data.username}</>;
  if (person.isError) return <>someone you can't see</>;
  return <span className="hearth-muted">…</span>;
}

export interface ChoiceProps<K extends string> {
  label: string;
  name: string;
  options: Readonly<Record<K, string>>;
  description?: ReactNode;
  isRequired?: boolean;
  /** Controlled value; leave out for a plain form field read with FormData. */
  value?: K | null;
  defaultValue?: K;
  onChange?: (value: K) => void;
}

/**
 * A labelled choice of one option that submits with its form under `name`. Every option stays
 * in view (a radio group): clearer than a drop-down for the short lists of the staff screens,
 * and without a drop-down's weight in the bundle.
 */
export function Choice<K extends string>({
  label,
  name,
  options,
  description,
  isRequired,
  value,
  defaultValue,
  onChange,
}: ChoiceProps<K>) {
  return (
    <RadioGroup
      className="hearth-field hearth-radio-group"
      name={name}
      isRequired={isRequired}
      {...(value !== undefined ? { value: value ?? null } : {})}
      {...(defaultValue !== undefined ? { defaultValue } : {})}
      onChange={(key) => onChange?.(key as K)}
    >
      <Label>{label}</Label>
      {description ? <Text slot="description">{description}</Text> : null}
      {(Object.entries(options) as [K, string][]).map(([key, text]) => (
        <Radio key={key} value={key}>
          {text}
        </Radio>
      ))}
      <FieldError />
    </RadioGroup>
  );
}

/** Whether a failed call failed because someone else changed the thing first. */
export function isConflict(error: unknown): boolean {
  return getErrorCode(error) === 'CONFLICT';
}

/**
 * The error of a change: for a conflict, what happened and a way to load the latest version;
 * for anything else, the usual error line.
 */
export function ChangeError({
  error,
  onReload,
  what = 'this',
}: {
  error: unknown;
  onReload: () => void;
  what?: string;
}) {
  if (!error) return null;
  if (!isConflict(error)) return <ErrorText error={error} />;
  return (
    <div className="hearth-notice hearth-notice-blocked" role="alert">
      <p>
        Someone else changed {what} while you were looking at it, so nothing you chose was saved.
        Reload to see what changed, then decide again.
      </p>
      <Button className="hearth-button" onPress={onReload}>
        Reload
      </Button>
    </div>
  );
}

export interface ActionDialogProps {
  /** The button that opens the dialog. */
  label: string;
  title: string;
  /** What the action does, shown under the title. */
  intro?: ReactNode;
  submitLabel: string;
  tone?: 'primary' | 'danger';
  /** The form's fields. */
  children: ReactNode;
  /** Reads the form and starts the call; call `close` once it succeeds. */
  onSubmit: (data: FormData, close: () => void) => void;
  isPending: boolean;
  error: unknown;
  /** Forgets the last error when the dialog closes. */
  onReset: () => void;
  /** Loads the latest version after a conflict (the dialog closes so the person can look). */
  onReload: () => void;
  /** What a conflict is about, e.g. "this case". */
  what?: string;
}

/** A button opening a modal form for one action, with its errors and conflicts. */
export function ActionDialog(props: ActionDialogProps) {
  return (
    <DialogTrigger
      onOpenChange={(open) => {
        if (!open) props.onReset();
      }}
    >
      <Button
        className={`hearth-button ${props.tone === 'danger' ? 'hearth-button-danger' : 'hearth-button-quiet'}`}
      >
        {props.label}
      </Button>
      <Modal className="hearth-modal" isDismissable>
        <Dialog className="hearth-dialog">
          {({ close }) => (
            <Form
              className="hearth-form"
              validationErrors={fieldErrorsOf(props.error)}
              onSubmit={(event) => {
                event.preventDefault();
                props.onSubmit(new FormData(event.currentTarget), close);
              }}
            >
              <Heading slot="title">{props.title}</Heading>
              {props.intro ? <div className="hearth-muted">{props.intro}</div> : null}
              {props.children}
              <ChangeError
                error={props.error}
                what={props.what}
                onReload={() => {
                  props.onReload();
                  close();
                }}
              />
              <div className="hearth-row">
                <Button
                  type="submit"
                  className={`hearth-button ${props.tone === 'danger' ? 'hearth-button-danger' : 'hearth-button-primary'}`}
                  isPending={props.isPending}
                >
                  {props.submitLabel}
                </Button>
                <Button className="hearth-button hearth-button-quiet" onPress={close}>
                  Cancel
                </Button>
              </div>
            </Form>
          )}
        </Dialog>
      </Modal>
    </DialogTrigger>
  );
}

/** Text from a form field, trimmed; `undefined` when empty. */
export function textOf(data: FormData, name: string): string | undefined {
  const value = String(data.get(name) ?? '').trim();
  return value === '' ? undefined : value;
}

import type { ReactNode } from 'react';
import {
  FieldError,
  Input,
  Label,
  Text,
  TextArea,
  TextField,
  type TextFieldProps,
} from 'react-aria-components';

export interface FieldProps extends Omit<TextFieldProps, 'children'> {
  label: string;
  description?: ReactNode;
  multiline?: boolean;
  rows?: number;
}

/** A labelled text field with its description and errors (client-side and from the server). */
export function Field({
  label,
  description,
  multiline,
  rows = 4,
  className,
  ...props
}: FieldProps) {
  return (
    <TextField {...props} className={['hearth-field', className].filter(Boolean).join(' ')}>
      <Label>{label}</Label>
      {multiline ? <TextArea rows={rows} /> : <Input />}
      {description ? <Text slot="description">{description}</Text> : null}
      <FieldError />
    </TextField>
  );
}

import { useState } from 'react';
import { Button, FieldError, Form, Label, Radio, RadioGroup } from 'react-aria-components';
import { useBranding, useHearthClient, useTerm } from '../context.js';
import { FormErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { NewPasswordField, useSessionStart } from './session.js';

const ageBandLabels: Record<string, string> = {
  'under-13': 'Under 13',
  '13-15': '13 to 15',
  '16-17': '16 or 17',
  '18-21': '18 to 21',
  '22-25': '22 to 25',
  '26-plus': '26 or over',
};

export interface SignUpFormProps {
  onSignedUp?: () => void;
  /** The form's heading level: 1 when the form is the page, as on a join page. @default 2 */
  headingLevel?: 1 | 2;
}

/**
 * A young person joins: a username (not their real name), a password and their age group —
 * which decides who may mentor them, so it is asked plainly and never guessed.
 */
export function SignUpForm({ onSignedUp, headingLevel = 2 }: SignUpFormProps) {
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const branding = useBranding();
  const t = useTerm();
  const client = useHearthClient();
  const [ageBand, setAgeBand] = useState<string | null>(null);
  const signUp = useSessionStart(
    (input: { username: string; password: string; ageBand: string }) =>
      client.identity.signUp.mutate(input as Parameters<typeof client.identity.signUp.mutate>[0]),
    onSignedUp,
  );
  if (!branding.allowMemberSignUp) {
    return (
      <p>
        {branding.displayName} is not taking new sign-ups online. Please ask the person who told you
        about us for an invitation.
      </p>
    );
  }
  const fieldErrors = fieldErrorsOf(signUp.error);
  return (
    <Form
      className="hearth-form"
      aria-labelledby="hearth-sign-up-title"
      validationErrors={fieldErrors}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        signUp.mutate({
          username: String(data.get('username') ?? ''),
          password: String(data.get('password') ?? ''),
          ageBand: ageBand ?? '',
        });
      }}
    >
      <Heading id="hearth-sign-up-title">Join as a {t('member')}</Heading>
      <Field
        label="Choose a username"
        name="username"
        autoComplete="username"
        description="Other people see this. Please don't use your real name."
        isRequired
      />
      <NewPasswordField />
      <RadioGroup
        name="ageBand"
        className="hearth-field hearth-radio-group"
        value={ageBand}
        onChange={setAgeBand}
        isRequired
      >
        <Label>How old are you?</Label>
        {branding.memberAgeBands.map((band) => (
          <Radio key={band} value={band}>
            {ageBandLabels[band] ?? band}
          </Radio>
        ))}
        <FieldError />
      </RadioGroup>
      <FormErrorText error={signUp.error} />
      <Button
        type="submit"
        className="hearth-button hearth-button-primary"
        isPending={signUp.isPending}
      >
        Join
      </Button>
    </Form>
  );
}

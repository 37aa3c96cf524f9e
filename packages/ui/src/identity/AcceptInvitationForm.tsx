import { Button, Form } from 'react-aria-components';
import { useBranding, useHearthClient } from '../context.js';
import { FormErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { NewPasswordField, useSessionStart } from './session.js';

export interface AcceptInvitationFormProps {
  /** The invitation's code, from the link the organisation sent. */
  token: string;
  onAccepted?: () => void;
  /** @default 1 — the form is usually the page */
  headingLevel?: 1 | 2;
}

/** A member of staff accepts their invitation: their name, a username and a password. */
export function AcceptInvitationForm({
  token,
  onAccepted,
  headingLevel = 1,
}: AcceptInvitationFormProps) {
  const branding = useBranding();
  const client = useHearthClient();
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const accept = useSessionStart(
    (input: { username: string; password: string; displayName: string }) =>
      client.identity.invitations.accept.mutate({ token, ...input }),
    onAccepted,
  );
  const fieldErrors = fieldErrorsOf(accept.error);
  return (
    <Form
      className="hearth-form"
      aria-labelledby="hearth-accept-title"
      validationErrors={fieldErrors}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        accept.mutate({
          displayName: String(data.get('displayName') ?? ''),
          username: String(data.get('username') ?? ''),
          password: String(data.get('password') ?? ''),
        });
      }}
    >
      <Heading id="hearth-accept-title">Join {branding.displayName}'s team</Heading>
      <p>You have been invited to help. Choose how you will sign in.</p>
      <Field
        label="Your name"
        name="displayName"
        autoComplete="name"
        description="The people you work with see this."
        isRequired
      />
      <Field label="Choose a username" name="username" autoComplete="username" isRequired />
      <NewPasswordField />
      <FormErrorText error={accept.error} />
      <Button
        type="submit"
        className="hearth-button hearth-button-primary"
        isPending={accept.isPending}
      >
        Accept and sign in
      </Button>
    </Form>
  );
}

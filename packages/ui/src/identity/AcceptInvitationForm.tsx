import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Form } from 'react-aria-components';
import { useBranding, useHearthClient } from '../context.js';
import { ErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { meQueryKey } from '../queries.js';

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
  const queryClient = useQueryClient();
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  const accept = useMutation({
    mutationFn: (input: { username: string; password: string; displayName: string }) =>
      client.identity.invitations.accept.mutate({ token, ...input }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
      onAccepted?.();
    },
  });
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
      <Field
        label="Choose a password"
        name="password"
        type="password"
        autoComplete="new-password"
        description="At least 10 characters. A few words you will remember works well."
        isRequired
      />
      {Object.keys(fieldErrors).length === 0 ? <ErrorText error={accept.error} /> : null}
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

import { Button, Form } from 'react-aria-components';
import { useHearthClient } from '../context.js';
import { FormErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { useSessionStart } from './session.js';

export interface SignInFormProps {
  /** Called once signed in. */
  onSignedIn?: () => void;
}

/** Username and password; errors are said next to the field they are about. */
export function SignInForm({ onSignedIn }: SignInFormProps) {
  const client = useHearthClient();
  const signIn = useSessionStart(
    (input: { username: string; password: string }) => client.identity.signIn.mutate(input),
    onSignedIn,
  );
  const fieldErrors = fieldErrorsOf(signIn.error);
  return (
    <Form
      className="hearth-form"
      aria-labelledby="hearth-sign-in-title"
      validationErrors={fieldErrors}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        signIn.mutate({
          username: String(data.get('username') ?? ''),
          password: String(data.get('password') ?? ''),
        });
      }}
    >
      <h2 id="hearth-sign-in-title">Sign in</h2>
      <Field label="Username" name="username" autoComplete="username" isRequired />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        isRequired
      />
      <FormErrorText error={signIn.error} />
      <Button
        type="submit"
        className="hearth-button hearth-button-primary"
        isPending={signIn.isPending}
      >
        Sign in
      </Button>
    </Form>
  );
}

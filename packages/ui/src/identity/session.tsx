import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Field } from '../fields.js';
import { meQueryKey } from '../queries.js';

/**
 * A call that starts a session — signing in, signing up, accepting an invitation: once it
 * succeeds the app asks again who is signed in, then `onDone` runs.
 */
export function useSessionStart<TInput>(
  call: (input: TInput) => Promise<unknown>,
  onDone?: () => void,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
      onDone?.();
    },
  });
}

/** Choosing a password, with the rule said up front. */
export function NewPasswordField() {
  return (
    <Field
      label="Choose a password"
      name="password"
      type="password"
      autoComplete="new-password"
      description="At least 10 characters. A few words you will remember works well."
      isRequired
    />
  );
}

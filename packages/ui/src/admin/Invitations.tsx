import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTerm } from '../context.js';
import { ErrorText, FormErrorText, fieldErrorsOf } from '../errors.js';
import { Field } from '../fields.js';
import { labelOf, roleLabel } from '../safeguarding/staff-labels.js';
import { Choice, formatWhen, textOf } from '../safeguarding/staff-parts.js';
import {
  type InvitableRole,
  type NewInvitation,
  useCreateInvitation,
  useInvitations,
  useRevokeInvitation,
} from './hooks.js';

const invitableRoles: InvitableRole[] = [
  'mentor',
  'senior_mentor',
  'moderator',
  'safeguarding_lead',
  'practitioner',
  'org_admin',
];

const statusLabels: Record<string, string> = {
  pending: 'Waiting to be accepted',
  accepted: 'Accepted',
  revoked: 'Withdrawn',
  expired: 'Expired',
};

export interface InvitationsProps {
  /**
   * The address of your app's page for accepting an invitation, given its token — for example
   * `(token) => \`${location.origin}/join/staff#token=${token}\``. Without it, the admin is shown
   * the token to pass on.
   */
  invitationLink?: (token: string) => string;
}

/**
 * For organisation admins: invite staff and volunteers by e-mail with a role, pass the
 * invitation on, and see or withdraw the invitations sent.
 */
export function Invitations({ invitationLink }: InvitationsProps) {
  const t = useTerm();
  const invitations = useInvitations();
  const create = useCreateInvitation();
  const [created, setCreated] = useState<NewInvitation | null>(null);
  const [formKey, setFormKey] = useState(0);
  const roleOptions = Object.fromEntries(
    invitableRoles.map((role) => [role, roleLabel(role, t, { capitalize: true })]),
  ) as Record<InvitableRole, string>;

  return (
    <section className="hearth-stack" aria-labelledby="hearth-invitations-title">
      <h1 id="hearth-invitations-title">Invitations</h1>
      <p>
        Invite a member of staff or a volunteer. They choose their own username and password when
        they accept.
      </p>
      <Form
        // A fresh form after each invitation: resetting in place would flag the empty choices.
        key={formKey}
        className="hearth-form"
        aria-labelledby="hearth-invite-title"
        validationErrors={fieldErrorsOf(create.error)}
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          setCreated(null);
          create.mutate(
            {
              email: textOf(data, 'email') ?? '',
              role: String(data.get('role') ?? '') as InvitableRole,
            },
            {
              onSuccess: (answer) => {
                setCreated(answer);
                setFormKey((key) => key + 1);
              },
            },
          );
        }}
      >
        <h2 id="hearth-invite-title">Invite someone</h2>
        <Field
          label="Their e-mail address"
          name="email"
          type="email"
          autoComplete="off"
          isRequired
        />
        <Choice label="Role" name="role" options={roleOptions} isRequired />
        <FormErrorText error={create.error} />
        <Button
          type="submit"
          className="hearth-button hearth-button-primary"
          isPending={create.isPending}
        >
          Create invitation
        </Button>
      </Form>
      {created ? <NewInvitationPanel created={created} invitationLink={invitationLink} /> : null}

      <h2>Invitations sent</h2>
      {invitations.isPending ? <p aria-busy="true">Loading…</p> : null}
      {invitations.data && invitations.data.length === 0 ? <p>No invitations yet.</p> : null}
      {invitations.data && invitations.data.length > 0 ? (
        <div className="hearth-table-scroll">
          <table className="hearth-table">
            <caption className="hearth-visually-hidden">Invitations sent, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                <th scope="col">Sent</th>
                <th scope="col">Valid until</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="hearth-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.map((invitation) => (
                <tr key={invitation.id}>
                  <th scope="row">{invitation.email}</th>
                  <td>{roleLabel(invitation.role, t, { capitalize: true })}</td>
                  <td>{formatWhen(invitation.createdAt)}</td>
                  <td>{formatWhen(invitation.expiresAt)}</td>
                  <td>{labelOf(statusLabels, invitation.status)}</td>
                  <td>
                    {invitation.status === 'pending' ? (
                      <RevokeButton id={invitation.id} email={invitation.email} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <ErrorText error={invitations.error} />
    </section>
  );
}

function NewInvitationPanel({
  created,
  invitationLink,
}: {
  created: NewInvitation;
  invitationLink: ((token: string) => string) | undefined;
}) {
  const link = invitationLink ? invitationLink(created.token) : null;
  const secret = link ?? created.token;
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <section className="hearth-card hearth-stack" aria-labelledby="hearth-invitation-ready">
      <h2 id="hearth-invitation-ready">Invitation ready for {created.invitation.email}</h2>
      <p className="hearth-visually-hidden" role="status">
        Invitation ready for {created.invitation.email}
      </p>
      <p>
        {link
          ? 'Send them this link, privately.'
          : 'Send them this invitation code, privately, with the address of the page where staff accept invitations.'}{' '}
        It works once, until {formatWhen(created.invitation.expiresAt)}.{' '}
        <strong>You won't be able to see it again</strong> — if it gets lost, create a new
        invitation.
      </p>
      <p className="hearth-secret">
        <code>{secret}</code>
      </p>
      <div className="hearth-row">
        <Button
          className="hearth-button"
          onPress={() => {
            navigator.clipboard
              ?.writeText(secret)
              .then(() => setCopied('yes'))
              .catch(() => setCopied('failed'));
          }}
        >
          Copy {link ? 'link' : 'code'}
        </Button>
        {copied === 'yes' ? <span role="status">Copied.</span> : null}
        {copied === 'failed' ? (
          <span>Copying didn't work: select the text and copy it.</span>
        ) : null}
      </div>
    </section>
  );
}

function RevokeButton({ id, email }: { id: string; email: string }) {
  const revoke = useRevokeInvitation();
  return (
    <>
      <Button
        className="hearth-button hearth-button-quiet"
        isPending={revoke.isPending}
        onPress={() => revoke.mutate(id)}
      >
        Withdraw<span className="hearth-visually-hidden"> the invitation for {email}</span>
      </Button>
      <ErrorText error={revoke.error} />
    </>
  );
}

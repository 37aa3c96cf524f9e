import { Button } from 'react-aria-components';
import { useTerm } from '../context.js';
import { ErrorText } from '../errors.js';
import { useMe } from '../queries.js';
import { roleLabel } from '../safeguarding/staff-labels.js';
import { ActionDialog, formatWhen } from '../safeguarding/staff-parts.js';
import { type UserSummary, useDisableUser, useUsers } from './hooks.js';

const ageBandLabels: Record<string, string> = {
  'under-13': 'Under 13',
  '13-15': '13 to 15',
  '16-17': '16 or 17',
  '18-21': '18 to 21',
  '22-25': '22 to 25',
  '26-plus': '26 or over',
};

/**
 * For organisation admins: everyone with an account, their roles in the organisation's own
 * words, and a way to disable an account (which signs it out everywhere at once).
 */
export function UsersAdmin() {
  const users = useUsers();
  const list = users.data?.pages.flatMap((page) => page.users) ?? [];
  return (
    <section className="hearth-stack" aria-labelledby="hearth-users-title">
      <h1 id="hearth-users-title">People</h1>
      {users.isPending ? <p aria-busy="true">Loading…</p> : null}
      {users.data && list.length === 0 ? <p role="status">Nobody has an account yet.</p> : null}
      {list.length > 0 ? (
        <div className="hearth-table-scroll">
          <table className="hearth-table">
            <caption className="hearth-visually-hidden">
              Everyone with an account, by username
            </caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Age group</th>
                <th scope="col">Joined</th>
                <th scope="col">Account</th>
              </tr>
            </thead>
            <tbody>
              {list.map((user) => (
                <UserRow key={user.id} user={user} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {users.hasNextPage ? (
        <Button
          className="hearth-button hearth-button-quiet"
          isPending={users.isFetchingNextPage}
          onPress={() => users.fetchNextPage()}
        >
          Show more
        </Button>
      ) : null}
      <ErrorText error={users.error} />
    </section>
  );
}

function UserRow({ user }: { user: UserSummary }) {
  const t = useTerm();
  const me = useMe();
  const disable = useDisableUser();
  const isMe = me.data?.id === user.id;
  return (
    <tr className={user.disabledAt ? 'hearth-disabled-row' : undefined}>
      <th scope="row">{user.username}</th>
      <td>{user.displayName ?? <span className="hearth-muted">—</span>}</td>
      <td>{user.roles.map((role) => roleLabel(role, t, { capitalize: true })).join(', ')}</td>
      <td>{user.ageBand ? (ageBandLabels[user.ageBand] ?? user.ageBand) : '—'}</td>
      <td>{formatWhen(user.createdAt)}</td>
      <td>
        {user.disabledAt ? (
          `Disabled ${formatWhen(user.disabledAt)}`
        ) : isMe ? (
          'Active (you)'
        ) : (
          <div className="hearth-stack">
            <span>Active</span>
            <ActionDialog
              label={`Disable ${user.username}…`}
              title={`Disable ${user.username}?`}
              intro="They are signed out everywhere at once and can't sign in again. Their messages, cases and records are kept."
              submitLabel="Disable the account"
              tone="danger"
              isPending={disable.isPending}
              error={disable.error}
              onReset={disable.reset}
              onReload={() => undefined}
              onSubmit={(_data, close) => disable.mutate(user.id, { onSuccess: close })}
            >
              {null}
            </ActionDialog>
          </div>
        )}
      </td>
    </tr>
  );
}

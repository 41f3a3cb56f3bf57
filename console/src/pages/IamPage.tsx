import { CreateRoleCommand, CreateUserCommand, DeleteRoleCommand, DeleteUserCommand, ListRolesCommand, ListUsersCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { BATCH_TAGGING_POLICY, BATCH_TRUST_POLICY } from '../iam/presets.js';
import { UserPanel } from '../iam/UserPanel.js';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';

/** IAM: users with their access keys and policies; roles for batch jobs with the Batch Operations trust policy in one click. */
export function IamPage() {
  const { clients } = useSession();
  const users = useAsync(() => clients.iam.send(new ListUsersCommand({})), []);
  const roles = useAsync(() => clients.iam.send(new ListRolesCommand({})), []);
  const [userName, setUserName] = useState('');
  const [open, setOpen] = useState<string | undefined>(undefined);
  const [roleName, setRoleName] = useState('batch-tagging');
  const [withTagging, setWithTagging] = useState(true);
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);

  const createUser = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const refused = await attempt(() => clients.iam.send(new CreateUserCommand({ UserName: userName.trim() })));
    setError(refused);
    if (refused === undefined) {
      setStatus(`User ${userName} created.`);
      setOpen(userName.trim());
      setUserName('');
    }
    users.reload();
  };
  const deleteUser = async (name: string): Promise<void> => {
    if (!window.confirm(`Delete user ${name}?`)) return;
    setError(await attempt(() => clients.iam.send(new DeleteUserCommand({ UserName: name }))));
    users.reload();
  };
  const createBatchRole = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const name = roleName.trim();
    const refused = await attempt(async () => {
      await clients.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: BATCH_TRUST_POLICY, Description: 'S3 Batch Operations (console)' }));
      if (withTagging) await clients.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'batch-tagging', PolicyDocument: BATCH_TAGGING_POLICY }));
    });
    setError(refused);
    if (refused === undefined) setStatus(`Role ${name} created, trusted by batchoperations.s3.amazonaws.com.`);
    roles.reload();
  };
  const deleteRole = async (name: string): Promise<void> => {
    if (!window.confirm(`Delete role ${name}?`)) return;
    setError(await attempt(() => clients.iam.send(new DeleteRoleCommand({ RoleName: name }))));
    roles.reload();
  };

  return (
    <>
      <h1>IAM</h1>
      <Notice error={error} status={status} />
      <h2>Users</h2>
      <form className="row" onSubmit={(e) => void createUser(e)} aria-label="Create user">
        <label>
          New user name
          <input value={userName} onChange={(e) => setUserName(e.target.value)} required />
        </label>
        <button type="submit" className="primary">
          Create user
        </button>
      </form>
      <Notice error={users.error} />
      <table className="list" aria-label="Users">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">ARN</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(users.data?.Users ?? []).map((u) => (
            <tr key={u.UserName}>
              <td>{u.UserName}</td>
              <td>
                <code>{u.Arn}</code>
              </td>
              <td>
                <button type="button" onClick={() => setOpen(open === u.UserName ? undefined : u.UserName)} aria-expanded={open === u.UserName}>
                  Keys and policies
                </button>{' '}
                <button type="button" onClick={() => void deleteUser(u.UserName ?? '')} aria-label={`Delete user ${u.UserName}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open !== undefined && <UserPanel key={open} userName={open} />}
      <h2>Roles</h2>
      <form className="row" onSubmit={(e) => void createBatchRole(e)} aria-label="Create batch role">
        <label>
          Role name
          <input value={roleName} onChange={(e) => setRoleName(e.target.value)} required />
        </label>
        <label className="inline">
          <input type="checkbox" checked={withTagging} onChange={(e) => setWithTagging(e.target.checked)} />
          Allow it to read manifests, write tags and reports
        </label>
        <button type="submit" className="primary">
          Create role for batch jobs
        </button>
      </form>
      <Notice error={roles.error} />
      <table className="list" aria-label="Roles">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col">ARN</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(roles.data?.Roles ?? []).map((r) => (
            <tr key={r.RoleName}>
              <td>{r.RoleName}</td>
              <td>
                <code>{r.Arn}</code>
              </td>
              <td>
                <button type="button" onClick={() => void deleteRole(r.RoleName ?? '')} aria-label={`Delete role ${r.RoleName}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

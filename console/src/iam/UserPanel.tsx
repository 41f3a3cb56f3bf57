import { CreateAccessKeyCommand, DeleteAccessKeyCommand, ListAccessKeysCommand, ListUserPoliciesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { useState } from 'react';
import { useSession } from '../session/SessionContext.js';
import { Notice } from '../ui/Notice.js';
import { attempt, useAsync } from '../ui/useAsync.js';

/** One user's access keys (a new secret is shown once) and inline policies. */
export function UserPanel(props: { readonly userName: string }) {
  const { clients } = useSession();
  const { userName } = props;
  const keys = useAsync(() => clients.iam.send(new ListAccessKeysCommand({ UserName: userName })), [userName]);
  const policies = useAsync(() => clients.iam.send(new ListUserPoliciesCommand({ UserName: userName })), [userName]);
  const [secret, setSecret] = useState<{ id: string; secret: string } | undefined>(undefined);
  const [policyName, setPolicyName] = useState('console-policy');
  const [policy, setPolicy] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);

  const createKey = async (): Promise<void> => {
    setError(
      await attempt(async () => {
        const out = await clients.iam.send(new CreateAccessKeyCommand({ UserName: userName }));
        setSecret({ id: out.AccessKey?.AccessKeyId ?? '', secret: out.AccessKey?.SecretAccessKey ?? '' });
      }),
    );
    keys.reload();
  };
  const deleteKey = async (id: string): Promise<void> => {
    setError(await attempt(() => clients.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: id }))));
    keys.reload();
  };
  const putPolicy = async (): Promise<void> => {
    setStatus(undefined);
    try {
      JSON.parse(policy);
    } catch (err) {
      setError(`Not valid JSON: ${(err as Error).message}`);
      return;
    }
    const refused = await attempt(() => clients.iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: policy })));
    setError(refused);
    if (refused === undefined) setStatus(`Policy ${policyName} saved.`);
    policies.reload();
  };

  return (
    <div className="panel" aria-label={`User ${userName}`}>
      <h3>Access keys of {userName}</h3>
      <Notice error={error ?? keys.error} status={status} />
      <ul>
        {(keys.data?.AccessKeyMetadata ?? []).map((k) => (
          <li key={k.AccessKeyId}>
            <code>{k.AccessKeyId}</code> {k.Status}{' '}
            <button type="button" onClick={() => void deleteKey(k.AccessKeyId ?? '')} aria-label={`Delete key ${k.AccessKeyId}`}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void createKey()}>
        Create access key
      </button>
      {secret !== undefined && (
        <div className="secret" role="status">
          <p>
            <strong>Copy the secret now: it is shown only this once.</strong>
          </p>
          <label>
            Access key ID
            <input readOnly value={secret.id} className="new-key-id" />
          </label>
          <label>
            Secret access key
            <input readOnly value={secret.secret} className="new-key-secret" />
          </label>
          <button type="button" onClick={() => setSecret(undefined)}>
            I have copied it
          </button>
        </div>
      )}
      <h3>Inline policies of {userName}</h3>
      <p>{(policies.data?.PolicyNames ?? []).join(', ') || 'none'}</p>
      <label>
        Policy name
        <input value={policyName} onChange={(e) => setPolicyName(e.target.value)} />
      </label>
      <label>
        Policy document (JSON)
        <textarea rows={8} spellCheck={false} value={policy} onChange={(e) => setPolicy(e.target.value)} />
      </label>
      <button type="button" onClick={() => void putPolicy()}>
        Save user policy
      </button>
    </div>
  );
}

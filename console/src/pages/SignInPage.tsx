import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { useEffect, useState, type FormEvent } from 'react';
import { errorText } from '../aws/errorText.js';
import { createClients, type Clients } from '../session/clients.js';
import type { Credentials, Identity } from '../session/Credentials.js';
import { remember, rememberedCredentials } from '../session/rememberedCredentials.js';
import { Notice } from '../ui/Notice.js';

/** Proves the credentials with STS GetCallerIdentity, which also tells the account id S3 Control needs. */
async function signIn(credentials: Credentials): Promise<{ clients: Clients; identity: Identity }> {
  const clients = createClients(credentials, window.location.origin);
  const who = await clients.sts.send(new GetCallerIdentityCommand({}));
  return { clients, identity: { account: who.Account ?? '', arn: who.Arn ?? '' } };
}

/**
 * Sign in with an access key and secret (and a session token for temporary credentials). The secret stays in this
 * page's memory; it is kept in the tab's session storage only when the user asks.
 */
export function SignInPage(props: { readonly onSignedIn: (clients: Clients, identity: Identity) => void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [sessionToken, setToken] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const [keep, setKeep] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const { onSignedIn } = props;

  useEffect(() => {
    const saved = rememberedCredentials();
    if (saved === undefined) return;
    signIn(saved).then(
      (s) => onSignedIn(s.clients, s.identity),
      () => remember(undefined),
    );
  }, [onSignedIn]);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const credentials: Credentials = { accessKeyId: accessKeyId.trim(), secretAccessKey, region: region.trim(), ...(sessionToken.trim() !== '' ? { sessionToken: sessionToken.trim() } : {}) };
    try {
      const s = await signIn(credentials);
      if (keep) remember(credentials);
      onSignedIn(s.clients, s.identity);
    } catch (err) {
      setError(`Sign-in failed: ${errorText(err)}`);
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Sign in to Tessera</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Access key ID
          <input name="accessKeyId" autoComplete="username" required value={accessKeyId} onChange={(e) => setAccessKeyId(e.target.value)} />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" autoComplete="current-password" required value={secretAccessKey} onChange={(e) => setSecret(e.target.value)} />
        </label>
        <label>
          Session token (temporary credentials only)
          <input name="sessionToken" type="password" autoComplete="off" value={sessionToken} onChange={(e) => setToken(e.target.value)} />
        </label>
        <label>
          Region
          <input name="region" value={region} onChange={(e) => setRegion(e.target.value)} />
        </label>
        <label className="inline">
          <input type="checkbox" checked={keep} onChange={(e) => setKeep(e.target.checked)} />
          Remember in this browser tab (session storage) until I sign out
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
      <Notice error={error} />
      <p className="hint">Every request is signed in this browser with your key: what your policies deny, the console cannot do either.</p>
    </main>
  );
}

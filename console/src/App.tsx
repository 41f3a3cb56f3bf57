import { useMemo, useState } from 'react';
import { BucketPage } from './pages/BucketPage.js';
import { BucketsPage } from './pages/BucketsPage.js';
import { IamPage } from './pages/IamPage.js';
import { JobsPage } from './pages/JobsPage.js';
import { ObjectPage } from './pages/ObjectPage.js';
import { SignInPage } from './pages/SignInPage.js';
import { hrefOf, useRoute } from './router.js';
import type { Clients } from './session/clients.js';
import type { Identity } from './session/Credentials.js';
import { remember } from './session/rememberedCredentials.js';
import { SessionContext, type Session } from './session/SessionContext.js';

/** The console: the sign-in page until credentials are proven, then the page the URL's hash names. */
export function App() {
  const [signedIn, setSignedIn] = useState<{ clients: Clients; identity: Identity } | undefined>(undefined);
  const route = useRoute();
  const session = useMemo<Session | undefined>(
    () =>
      signedIn === undefined
        ? undefined
        : {
            ...signedIn,
            signOut: () => {
              remember(undefined);
              setSignedIn(undefined);
            },
          },
    [signedIn],
  );
  if (session === undefined) return <SignInPage onSignedIn={(clients, identity) => setSignedIn({ clients, identity })} />;
  const page = (() => {
    switch (route.page) {
      case 'buckets':
        return <BucketsPage />;
      case 'bucket':
        return <BucketPage key={route.bucket} bucket={route.bucket} prefix={route.prefix} tab={route.tab} />;
      case 'object':
        return <ObjectPage key={`${route.bucket}/${route.key}`} bucket={route.bucket} objectKey={route.key} />;
      case 'jobs':
        return <JobsPage />;
      case 'iam':
        return <IamPage />;
    }
  })();
  return (
    <SessionContext.Provider value={session}>
      <header className="top">
        <span className="brand">Tessera</span>
        <nav aria-label="Main">
          <a href={hrefOf({ page: 'buckets' })} aria-current={route.page === 'buckets' || route.page === 'bucket' || route.page === 'object' ? 'page' : undefined}>
            Buckets
          </a>
          <a href={hrefOf({ page: 'jobs' })} aria-current={route.page === 'jobs' ? 'page' : undefined}>
            Batch jobs
          </a>
          <a href={hrefOf({ page: 'iam' })} aria-current={route.page === 'iam' ? 'page' : undefined}>
            IAM
          </a>
        </nav>
        <span className="who" title={session.identity.arn}>
          {session.identity.arn}
        </span>
        <button type="button" onClick={session.signOut}>
          Sign out
        </button>
      </header>
      <main>{page}</main>
    </SessionContext.Provider>
  );
}

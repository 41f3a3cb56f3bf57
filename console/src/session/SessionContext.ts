import { createContext, useContext } from 'react';
import type { Clients } from './clients.js';
import type { Identity } from './Credentials.js';

export interface Session {
  readonly clients: Clients;
  readonly identity: Identity;
  readonly signOut: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

/** The signed-in session; the pages below the sign-in page always have one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside a signed-in page');
  return session;
}

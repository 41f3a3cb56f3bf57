import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the endpoint answers itself before any API sees the request — the console's files and CORS preflights
 * (browser/browserFront.ts), the metrics page (`/_tessera/metrics`): true when it answered.
 */
export type FrontDoor = (req: IncomingMessage, res: ServerResponse, requestId: string) => boolean;

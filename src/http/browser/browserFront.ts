import type { FrontDoor } from '../FrontDoor.js';
import { S3Error } from '../../errors/S3Error.js';
import type { RenderErrorBody } from '../ErrorBody.js';
import { loadConsoleAssets, type ConsoleAsset } from './consoleAssets.js';
import { consoleFileOf } from './consoleRequest.js';
import { CONSOLE_HEADERS } from './consoleSecurityHeaders.js';
import { preflightAnswer } from './corsPreflight.js';

export interface BrowserFrontSettings {
  /** Serve the console (TESSERA_CONSOLE). */
  readonly console: boolean;
  /** The folder of the built console (dist/console). */
  readonly consoleDir: string;
  /** Virtual-host base domain: a request addressed to a bucket by Host is never the console. */
  readonly domain: string | undefined;
  readonly renderError: RenderErrorBody;
}

/**
 * What the endpoint answers for browsers before any API: CORS preflights (own origin only) and the console's files
 * under /console (docs/console.md).
 */
export function browserFront(settings: BrowserFrontSettings): FrontDoor {
  let assets: ReadonlyMap<string, ConsoleAsset> | undefined;
  return (req, res, requestId) => {
    const preflight = preflightAnswer(req);
    if (preflight !== undefined) {
      req.resume();
      if (preflight.kind === 'allow') {
        res.writeHead(200, preflight.headers).end();
      } else {
        const error = new S3Error('AccessForbidden');
        res.writeHead(error.status, { 'Content-Type': 'application/xml', Vary: 'Origin' }).end(settings.renderError(error, req.url ?? '/', requestId, ''));
      }
      return true;
    }
    if (!settings.console) return false;
    const target = consoleFileOf(req, settings.domain);
    if (target === undefined) return false;
    req.resume();
    if ('redirect' in target) {
      res.writeHead(301, { Location: target.redirect, ...CONSOLE_HEADERS }).end();
      return true;
    }
    assets ??= loadConsoleAssets(settings.consoleDir);
    const asset = assets?.get(target.file);
    if (asset === undefined) {
      const text = assets === undefined ? 'The console is not built: run `npm run build`.\n' : 'Not found.\n';
      res.writeHead(assets === undefined ? 503 : 404, { 'Content-Type': 'text/plain; charset=utf-8', ...CONSOLE_HEADERS }).end(text);
      return true;
    }
    res.writeHead(200, {
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.length,
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...CONSOLE_HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}

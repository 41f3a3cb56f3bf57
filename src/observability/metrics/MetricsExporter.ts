import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { FrontDoor } from '../../http/FrontDoor.js';
import { bucketFromHost } from '../../http/parseRequest.js';
import type { FinishedRequest, RequestObserver } from '../../http/RequestObserver.js';
import type { ObjectTagLookup } from '../objectTags.js';
import type { Bucket } from '../../core/buckets/Bucket.js';
import { BucketRequestMetrics, type CurrentBucket, type MetricsConfigurationSource } from './BucketRequestMetrics.js';
import { RequestMetrics } from './RequestMetrics.js';
import { StorageMetrics, type StorageSources } from './StorageMetrics.js';

/** Where the S3 port serves the metrics: a path no bucket can take (bucket names cannot contain '_'). */
export const METRICS_PATH_ON_S3_PORT = '/_tessera/metrics';
/** The path on a separate metrics listener (TESSERA_METRICS_ADDRESS). */
export const METRICS_PATH = '/metrics';

export interface MetricsExporterDeps {
  readonly configurations: MetricsConfigurationSource;
  readonly currentBucket: CurrentBucket;
  readonly tags: ObjectTagLookup;
  readonly storage: StorageSources;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
}

/**
 * The Prometheus export (docs/metrics.md): prom-client's process and Node.js metrics, the request families of every
 * API, the bucket metrics configurations' CloudWatch request metrics, and the storage figures. One registry per
 * server (no global state), rendered in the Prometheus text format on each scrape.
 */
export class MetricsExporter {
  readonly registry = new Registry();
  readonly storage: StorageMetrics;
  private readonly requests: RequestMetrics;
  private readonly buckets: BucketRequestMetrics;

  constructor(private readonly deps: MetricsExporterDeps) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new RequestMetrics(this.registry);
    this.buckets = new BucketRequestMetrics(this.registry, deps.configurations, deps.tags, deps.currentBucket);
    this.storage = new StorageMetrics(this.registry, deps.storage);
  }

  /** What the HTTP server reports every request to. */
  get observer(): RequestObserver {
    return {
      observe: (done: FinishedRequest) => {
        this.requests.observe(done);
        this.buckets.observe(done);
      },
      wantsObjectTags: (bucket: Bucket) => this.buckets.wantsObjectTags(bucket),
    };
  }

  /** The text a scrape gets (requests answered but still being counted are waited for, briefly). */
  async render(): Promise<string> {
    for (let i = 0; i < 50 && this.buckets.busy; i++) await new Promise((resolve) => setTimeout(resolve, 2));
    await this.buckets.prune();
    this.storage.beginScrape();
    return this.registry.metrics();
  }

  /** Answer a scrape: GET or HEAD, with the bearer token when one is set. */
  serve(stream: IncomingMessage, res: ServerResponse): void {
    stream.resume();
    if (stream.method !== 'GET' && stream.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method Not Allowed\n');
      return;
    }
    if (!this.authorized(stream.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="tessera-metrics"', 'Content-Type': 'text/plain' }).end('Unauthorized\n');
      return;
    }
    this.render().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': this.registry.contentType, 'Content-Length': Buffer.byteLength(text) });
        res.end(stream.method === 'HEAD' ? undefined : text);
      },
      () => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'),
    );
  }

  /**
   * The metrics page on the S3 port: a path-style GET of `/_tessera/metrics` (with virtual-host addressing the same
   * path is a key of the Host's bucket, so it is left to S3).
   */
  frontDoor(domain: string | undefined): FrontDoor {
    return (stream, res) => {
      const url = stream.url ?? '/';
      const q = url.indexOf('?');
      if ((q < 0 ? url : url.slice(0, q)) !== METRICS_PATH_ON_S3_PORT || bucketFromHost(stream.headers.host, domain) !== undefined) return false;
      this.serve(stream, res);
      return true;
    };
  }

  /** A listener of its own (TESSERA_METRICS_ADDRESS) serving `/metrics` (and the S3 port's path too). */
  async listen(host: string, port: number): Promise<Server> {
    const server = createServer((stream, res) => {
      const path = (stream.url ?? '/').split('?')[0];
      if (path === METRICS_PATH || path === METRICS_PATH_ON_S3_PORT) this.serve(stream, res);
      else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found: the metrics are at /metrics\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  private authorized(header: string | undefined): boolean {
    const token = this.deps.token;
    if (token === undefined) return true;
    const expected = Buffer.from(`Bearer ${token}`);
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

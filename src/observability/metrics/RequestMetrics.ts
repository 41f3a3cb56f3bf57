import { Counter, Histogram, type Registry } from 'prom-client';
import type { FinishedRequest } from '../../http/RequestObserver.js';
import { LATENCY_BUCKETS, statusClass } from './latencyBuckets.js';

/**
 * The request families every API shares: requests by API (`s3`, `s3-control`, `iam`, `sts`), AWS operation name and
 * status class; total and first-byte latency; bytes in and out; errors by code. Labels come only from closed sets —
 * the operations Tessera routes (an unrouted request is `Unknown`) and the error catalogues — never from a bucket,
 * key or tag.
 */
export class RequestMetrics {
  private readonly requests: Counter<'api' | 'operation' | 'status'>;
  private readonly duration: Histogram<'api' | 'operation'>;
  private readonly firstByte: Histogram<'api' | 'operation'>;
  private readonly bytesIn: Counter<'api' | 'operation'>;
  private readonly bytesOut: Counter<'api' | 'operation'>;
  private readonly errors: Counter<'api' | 'code'>;
  private readonly aborted: Counter<'api' | 'operation'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({ name: 'tessera_requests_total', help: 'Requests answered, by API, operation and status class.', labelNames: ['api', 'operation', 'status'], registers });
    this.duration = new Histogram({
      name: 'tessera_request_duration_seconds',
      help: 'Time from a request\'s arrival to the last byte of its response.',
      labelNames: ['api', 'operation'],
      buckets: [...LATENCY_BUCKETS],
      registers,
    });
    this.firstByte = new Histogram({
      name: 'tessera_request_first_byte_seconds',
      help: 'Time from a request\'s arrival to the start of its response.',
      labelNames: ['api', 'operation'],
      buckets: [...LATENCY_BUCKETS],
      registers,
    });
    this.bytesIn = new Counter({ name: 'tessera_request_body_bytes_total', help: 'Request body bytes received (Content-Length).', labelNames: ['api', 'operation'], registers });
    this.bytesOut = new Counter({ name: 'tessera_response_body_bytes_total', help: 'Response body bytes sent.', labelNames: ['api', 'operation'], registers });
    this.errors = new Counter({ name: 'tessera_request_errors_total', help: 'Error responses, by API and error code.', labelNames: ['api', 'code'], registers });
    this.aborted = new Counter({
      name: 'tessera_requests_aborted_total',
      help: 'Requests whose connection closed before the whole response was written.',
      labelNames: ['api', 'operation'],
      registers,
    });
  }

  observe(done: FinishedRequest): void {
    const api = done.trace.api;
    const operation = done.trace.operation ?? 'Unknown';
    const labels = { api, operation };
    this.requests.inc({ api, operation, status: statusClass(done.status) });
    this.duration.observe(labels, done.totalSeconds);
    this.firstByte.observe(labels, done.firstByteSeconds);
    if (done.bytesIn > 0) this.bytesIn.inc(labels, done.bytesIn);
    if (done.bytesOut > 0) this.bytesOut.inc(labels, done.bytesOut);
    if (done.trace.errorCode !== undefined) this.errors.inc({ api, code: done.trace.errorCode });
    if (!done.completed) this.aborted.inc(labels);
  }
}

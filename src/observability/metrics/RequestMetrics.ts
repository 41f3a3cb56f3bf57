import type { Registry } from 'prom-client';
import type { FinishedRequest } from '../../http/RequestObserver.js';
import { LATENCY_BUCKETS, statusClass } from './latencyBuckets.js';
import { CounterFamily, HistogramFamily } from './SeriesFamilies.js';

/**
 * The request families every API shares: requests by API (`s3`, `s3-control`, `iam`, `sts`), AWS operation name and
 * status class; total and first-byte latency; bytes in and out; errors by code. Labels come only from closed sets —
 * the operations Tessera routes (an unrouted request is `Unknown`) and the error catalogues — never from a bucket,
 * key or tag.
 */
export class RequestMetrics {
  private readonly requests: CounterFamily;
  private readonly duration: HistogramFamily;
  private readonly firstByte: HistogramFamily;
  private readonly bytesIn: CounterFamily;
  private readonly bytesOut: CounterFamily;
  private readonly errors: CounterFamily;
  private readonly aborted: CounterFamily;

  constructor(registry: Registry) {
    this.requests = new CounterFamily(registry, 'tessera_requests_total', 'Requests answered, by API, operation and status class.');
    this.duration = new HistogramFamily(registry, 'tessera_request_duration_seconds', "Time from a request's arrival to the last byte of its response.", LATENCY_BUCKETS);
    this.firstByte = new HistogramFamily(registry, 'tessera_request_first_byte_seconds', "Time from a request's arrival to the start of its response.", LATENCY_BUCKETS);
    this.bytesIn = new CounterFamily(registry, 'tessera_request_body_bytes_total', 'Request body bytes received (an aws-chunked body without its framing).');
    this.bytesOut = new CounterFamily(registry, 'tessera_response_body_bytes_total', 'Response body bytes sent.');
    this.errors = new CounterFamily(registry, 'tessera_request_errors_total', 'Error responses, by API and error code.');
    this.aborted = new CounterFamily(registry, 'tessera_requests_aborted_total', 'Requests whose connection closed before the whole response was written.');
  }

  observe(done: FinishedRequest): void {
    const api = done.trace.api;
    const operation = done.trace.operation ?? 'Unknown';
    const key = `${api} ${operation}`;
    const labels = (): Readonly<Record<string, string>> => ({ api, operation });
    const status = statusClass(done.status);
    this.requests.add(`${key} ${status}`, () => ({ api, operation, status }));
    this.duration.observe(key, labels, done.totalSeconds);
    this.firstByte.observe(key, labels, done.firstByteSeconds);
    if (done.bytesIn > 0) this.bytesIn.add(key, labels, done.bytesIn);
    if (done.bytesOut > 0) this.bytesOut.add(key, labels, done.bytesOut);
    const code = done.trace.errorCode;
    if (code !== undefined) this.errors.add(`${api} ${code}`, () => ({ api, code }));
    if (!done.completed) this.aborted.add(key, labels);
  }
}

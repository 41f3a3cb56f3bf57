import type { EventSink, EventTarget } from '../core/ports/EventTargets.js';

/** Delivers an event message as an HTTP POST of its JSON to the target's webhook; a 2xx answer acknowledges it. */
export class WebhookSink implements EventSink {
  constructor(private readonly timeoutMs = 10_000) {}

  async send(target: EventTarget, message: unknown): Promise<void> {
    const res = await fetch(target.webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...target.headers },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`${target.webhook} answered HTTP ${res.status}`);
  }
}

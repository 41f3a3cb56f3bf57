/** Where the events of a registered target go (`tessera targets add NAME --webhook URL [--header K=V]`). */
export interface EventTarget {
  readonly name: string;
  readonly webhook: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The registered notification targets (kept in the data dir, readable only by its owner). */
export interface EventTargetDirectory {
  list(): Promise<EventTarget[]>;
  get(name: string): Promise<EventTarget | undefined>;
  put(target: EventTarget): Promise<void>;
  remove(name: string): Promise<boolean>;
}

/** Sends one event message (JSON) to a target; resolves once the target acknowledged it (a 2xx answer). */
export interface EventSink {
  send(target: EventTarget, message: unknown): Promise<void>;
}

import type { RemoteDirectory } from '../core/ports/RemoteDirectory.js';
import type { ReplicationTarget, ReplicationTargets } from '../core/ports/ReplicationTarget.js';
import { RemoteReplicationTarget } from './RemoteReplicationTarget.js';
import { sendSigned } from './signedRequest.js';

/** How long which remote holds a bucket is remembered. */
const REMEMBER_MS = 60_000;

/**
 * Finds the remote holding a destination bucket: the registered remotes are asked in name order (HeadBucket) and the
 * first that has it is remembered for a minute. A bucket on this same server is reached the same way, by registering
 * this server as a remote (docs/replication.md).
 */
export class RemoteTargets implements ReplicationTargets {
  private readonly known = new Map<string, { target: ReplicationTarget; until: number }>();

  constructor(private readonly remotes: RemoteDirectory) {}

  async resolve(bucket: string): Promise<ReplicationTarget | undefined> {
    const now = Date.now();
    const known = this.known.get(bucket);
    if (known !== undefined && known.until > now) return known.target;
    for (const remote of await this.remotes.list()) {
      const res = await sendSigned(remote.endpoint, remote.region, remote, { method: 'HEAD', path: `/${encodeURIComponent(bucket)}`, timeoutMs: 10_000 }).catch(
        () => undefined,
      );
      if (res?.status === 200) {
        const target = new RemoteReplicationTarget(remote);
        this.known.set(bucket, { target, until: now + REMEMBER_MS });
        return target;
      }
    }
    return undefined;
  }
}

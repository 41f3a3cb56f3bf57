import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectAclCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
  type Grant,
  type ObjectCannedACL,
  type S3Client,
} from '@aws-sdk/client-s3';
import { bucketName } from '../support/names.js';
import { CLI, clientFor, kill9, startServer, type Running } from '../support/serverProcess.js';

/**
 * The ACL commits with its version: the built server takes concurrent PutObject, CopyObject and multipart uploads
 * that each ask for a canned ACL, and is killed with SIGKILL at a random moment, several times. After every restart,
 * every version that is visible — acknowledged or caught in flight — has exactly the ACL its write asked for (a
 * version committed without its ACL would show the default ACL), and every acknowledged write is visible.
 */

const RUNS = 4;
const WRITERS = 12;
/** The canned ACL a write asks for is part of its key, so the check knows what each version must carry. */
const CANNED: readonly ObjectCannedACL[] = ['public-read', 'authenticated-read', 'public-read', 'private'];
const GROUP_OF: Partial<Record<ObjectCannedACL, string>> = {
  'public-read': 'http://acs.amazonaws.com/groups/global/AllUsers',
  'authenticated-read': 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
};
const SOURCE_KEY = 'source';

/** A grant as `type:who:permission`, the owner written as `owner`. */
function grantLine(grant: Grant, ownerId: string | undefined): string {
  const grantee = grant.Grantee;
  const who = grantee?.Type === 'Group' ? grantee.URI : grantee?.ID === ownerId ? 'owner' : grantee?.ID;
  return `${grantee?.Type}:${who}:${grant.Permission}`;
}

function expectedGrants(canned: ObjectCannedACL): string[] {
  const group = GROUP_OF[canned];
  return ['CanonicalUser:owner:FULL_CONTROL', ...(group === undefined ? [] : [`Group:${group}:READ`])].sort();
}

/** One writer: PutObject, CopyObject and multipart uploads in turn, each with an ACL, until the server is killed. */
async function writeUntilKilled(
  client: S3Client,
  bucket: string,
  writer: string,
  acked: Set<string>,
  events: { onAck(): void; killed(): boolean },
): Promise<void> {
  for (let n = 0; ; n++) {
    const canned = CANNED[n % CANNED.length] as ObjectCannedACL;
    const kind = ['put', 'copy', 'multipart'][n % 3] as 'put' | 'copy' | 'multipart';
    const key = `${canned}/${kind}-${writer}-${n}`;
    try {
      if (kind === 'put') {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: randomBytes(64 + n), ACL: canned }));
      } else if (kind === 'copy') {
        await client.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/${SOURCE_KEY}`, ACL: canned }));
      } else {
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ACL: canned }));
        const { ETag } = await client.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: randomBytes(128) }),
        );
        await client.send(
          new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] } }),
        );
      }
    } catch (err) {
      if (events.killed()) return; // the server is gone
      throw err;
    }
    acked.add(key);
    events.onAck();
  }
}

/** Every visible version's ACL is the one its key asked for; every acknowledged key is there. */
async function checkAcls(client: S3Client, bucket: string, acked: ReadonlySet<string>): Promise<number> {
  const seen = new Set<string>();
  let checked = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker, MaxKeys: 500 }),
    );
    for (const version of page.Versions ?? []) {
      const key = version.Key as string;
      seen.add(key);
      if (key === SOURCE_KEY) continue;
      const canned = key.slice(0, key.indexOf('/')) as ObjectCannedACL;
      const acl = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key, VersionId: version.VersionId }));
      const grants = (acl.Grants ?? []).map((g) => grantLine(g, acl.Owner?.ID)).sort();
      assert.deepEqual(grants, expectedGrants(canned), `${key} (version ${version.VersionId}) has the ACL its write asked for`);
      checked++;
    }
    if (page.IsTruncated !== true) break;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
  for (const key of acked) assert.ok(seen.has(key), `acknowledged ${key} is visible`);
  return checked;
}

describe('the ACL commits with its version (kill -9 of the built server)', { skip: existsSync(CLI) ? false : `built CLI not found at ${CLI}` }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-aclcrash-'));
  const running: Running[] = [];
  const clients: S3Client[] = [];

  after(async () => {
    for (const c of clients) c.destroy();
    for (const r of running) await kill9(r);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`every visible version has exactly the ACL its write asked for (${RUNS} kills)`, { timeout: 240_000 }, async (t) => {
    const bucket = bucketName('aclcrash');
    const acked = new Set<string>();
    for (let run = 0; run <= RUNS; run++) {
      const server = await startServer(dataDir);
      running.push(server);
      const client = clientFor(server.endpoint);
      clients.push(client);
      if (run === 0) {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: SOURCE_KEY, Body: randomBytes(256) }));
      } else {
        const checked = await checkAcls(client, bucket, acked);
        t.diagnostic(`after kill ${run}: ${checked} versions checked, ${acked.size} writes acknowledged`);
      }
      if (run === RUNS) {
        await kill9(server);
        break;
      }

      // write until killed: after a random number of acknowledged writes, at a random moment
      const killAfter = 40 + Math.floor(Math.random() * 80);
      let acks = 0;
      let killing: Promise<void> | undefined;
      const events = {
        onAck(): void {
          acks++;
          if (acks >= killAfter && killing === undefined) {
            killing = new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20))).then(() => kill9(server));
          }
        },
        killed: (): boolean => killing !== undefined,
      };
      await Promise.all(Array.from({ length: WRITERS }, (_, w) => writeUntilKilled(client, bucket, `r${run}w${w}`, acked, events)));
      await killing;
    }
  });
});

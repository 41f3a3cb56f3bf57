import {
  ACL_PERMISSIONS,
  type AclGrant,
  type AclGrantee,
  type AclPermission,
} from '../../../core/access/AccessControlList.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, renderXml, xml, type XmlElement } from '../../../xml/codec.js';

/**
 * `<AccessControlPolicy><Owner><ID/><DisplayName/></Owner><AccessControlList><Grant><Grantee xsi:type=…>…</Grantee>
 * <Permission/></Grant>…</AccessControlList></AccessControlPolicy>`: the body of PutBucketAcl / PutObjectAcl and the
 * answer of GetBucketAcl / GetObjectAcl. A grantee is a CanonicalUser (ID), a Group (URI) or, in requests only, an
 * AmazonCustomerByEmail (EmailAddress); its kind is told by which of these it holds.
 */
const ROOT = 'AccessControlPolicy';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** A grantee as a request names it: by email it must still be resolved to an account. */
export type RequestedGrantee = AclGrantee | { readonly type: 'Email'; readonly email: string };
export interface RequestedGrant {
  readonly grantee: RequestedGrantee;
  readonly permission: AclPermission;
}

export interface ParsedAccessControlPolicy {
  readonly ownerId: string | undefined;
  readonly grants: RequestedGrant[];
}

function permissionOf(text: string): AclPermission {
  const found = ACL_PERMISSIONS.find((p) => p === text);
  if (found === undefined) throw new S3Error('MalformedACLError');
  return found;
}

/** Parse an AccessControlPolicy body. Throws MalformedACLError for a document that does not fit. */
export function parseAccessControlPolicy(body: Buffer | string): ParsedAccessControlPolicy {
  let doc;
  try {
    doc = parseXml(body, ROOT, [`${ROOT}.AccessControlList.Grant`]);
  } catch {
    throw new S3Error('MalformedACLError');
  }
  try {
    const owner = xml.child(doc, 'Owner');
    const list = xml.child(doc, 'AccessControlList');
    const grants = (list === undefined ? [] : xml.children(list, 'Grant')).map((grant): RequestedGrant => {
      const grantee = xml.child(grant, 'Grantee');
      if (grantee === undefined) throw new S3Error('MalformedACLError');
      const permission = permissionOf(xml.requiredText(grant, 'Permission'));
      const id = xml.text(grantee, 'ID');
      const uri = xml.text(grantee, 'URI');
      const email = xml.text(grantee, 'EmailAddress');
      if (id !== undefined) return { grantee: { type: 'CanonicalUser', id }, permission };
      if (uri !== undefined) return { grantee: { type: 'Group', uri }, permission };
      if (email !== undefined) return { grantee: { type: 'Email', email }, permission };
      throw new S3Error('MalformedACLError');
    });
    return { ownerId: owner === undefined ? undefined : xml.text(owner, 'ID'), grants };
  } catch (err) {
    if (err instanceof S3Error && err.code === 'MalformedXML') throw new S3Error('MalformedACLError');
    throw err;
  }
}

/** Render an ACL as GetBucketAcl / GetObjectAcl answer it; `displayNameOf` names canonical users. */
export function renderAccessControlPolicy(
  owner: { id: string; displayName: string },
  grants: readonly AclGrant[],
  displayNameOf: (canonicalId: string) => string | undefined,
): string {
  const grantee = (g: AclGrantee): XmlElement => {
    if (g.type === 'Group') return { '@_xmlns:xsi': XSI, '@_xsi:type': 'Group', URI: g.uri };
    return { '@_xmlns:xsi': XSI, '@_xsi:type': 'CanonicalUser', ID: g.id, DisplayName: displayNameOf(g.id) };
  };
  return renderXml(ROOT, {
    Owner: { ID: owner.id, DisplayName: owner.displayName },
    AccessControlList: { Grant: grants.map((g) => ({ Grantee: grantee(g.grantee), Permission: g.permission })) },
  });
}

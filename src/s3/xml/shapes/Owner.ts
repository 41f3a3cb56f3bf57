import type { XmlElement } from '../../../xml/codec.js';

/** Who owns a bucket or an object version, as S3 shows it: the canonical user id and the display name. */
export interface OwnerView {
  readonly id: string;
  readonly displayName?: string;
}

/** `<Owner><ID/><DisplayName/></Owner>` content (DisplayName omitted when unknown). */
export function ownerElement(owner: OwnerView): XmlElement {
  return { ID: owner.id, DisplayName: owner.displayName };
}

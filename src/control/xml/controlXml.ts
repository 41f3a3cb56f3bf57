import { renderXml, type XmlElement } from '../../xml/codec.js';

/** S3 Control's namespace, on every response document. */
export const CONTROL_XMLNS = 'http://awss3control.amazonaws.com/doc/2018-08-20/';

/** Render an S3 Control response document (lists are <member> entries, as the service's model has them). */
export function renderControl(root: string, content: XmlElement): string {
  return renderXml(root, content, { xmlns: CONTROL_XMLNS });
}

/** `<Name><member>…</member>…</Name>` */
export function members<T>(items: readonly T[], render: (item: T) => XmlElement | string): XmlElement {
  return { member: items.map(render) };
}

// A strict reader for the XML subset the JUnit formatter writes (declaration, elements, attributes, text and
// character/entity references; no comments, CDATA or DTD). It throws on anything not well-formed XML 1.0, so
// the tests need no XML dependency, and it decodes references so tests can compare values with the input.

export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// Characters XML 1.0 does not allow anywhere, not even as a reference.
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(raw: string, where: string): string {
  if (NOT_XML_CHAR.test(raw)) throw new Error(`character not allowed in XML 1.0 in ${where}: ${JSON.stringify(raw)}`);
  return raw.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref] as string;
    const code = /^#\d+$/.test(ref) ? Number(ref.slice(1)) : /^#x[0-9a-fA-F]+$/.test(ref) ? parseInt(ref.slice(2), 16) : undefined;
    if (code === undefined) throw new Error(`unknown reference ${m} in ${where}`);
    const ch = String.fromCodePoint(code);
    if (NOT_XML_CHAR.test(ch)) throw new Error(`reference ${m} to a character XML 1.0 does not allow, in ${where}`);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('missing XML declaration');
  i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (stack.length > 0) (stack[stack.length - 1] as XmlElement).text += decode(text, 'text');
    else if (text.trim() !== '') throw new Error(`text outside the root element: ${JSON.stringify(text)}`);
    if (text.includes('>')) throw new Error(`raw > in text: ${JSON.stringify(text)}`);
    if (lt === -1) break;
    i = lt + 1;
    if (xml[i] === '/') {
      const name = NAME.exec(xml.slice(i + 1))?.[0];
      const open = stack.pop();
      if (!name || !open || open.name !== name || xml[i + 1 + name.length] !== '>') throw new Error(`mismatched end tag at ${lt}`);
      i += name.length + 2;
      continue;
    }
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`bad tag at ${lt}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const m = /^\s+([A-Za-z_][\w.-]*)="([^"<]*)"/.exec(xml.slice(i));
      if (!m) break;
      const [all, attr, value] = m as unknown as [string, string, string];
      if (attr in el.attrs) throw new Error(`duplicate attribute ${attr} on <${name}>`);
      el.attrs[attr] = decode(value, `${name}@${attr}`);
      i += all.length;
    }
    const end = /^\s*(\/?)>/.exec(xml.slice(i));
    if (!end) throw new Error(`bad attribute or tag end in <${name}> at ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
    i += end[0].length;
    if (stack.length > 0) (stack[stack.length - 1] as XmlElement).children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    if (end[1] !== '/') stack.push(el);
  }
  if (stack.length > 0 || !root) throw new Error('unclosed element');
  return root;
}

export function all(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

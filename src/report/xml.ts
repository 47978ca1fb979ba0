/**
 * XML 1.0 escaping. Characters XML 1.0 cannot carry at all, not even as a character reference (C0 controls
 * other than tab, newline and carriage return; lone surrogates; U+FFFE, U+FFFF), are written as visible
 * `\u0007`-style text so the document stays well-formed and the reader still sees that something was there.
 */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function xmlText(s: string): string {
  return visible(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** For a double-quoted attribute; whitespace other than space is a reference, or attribute normalisation would turn it into a space. */
export function xmlAttr(s: string): string {
  return xmlText(s).replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}

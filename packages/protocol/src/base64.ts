const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;
const WHITESPACE = /[\s]+/g;

/** Why a string is not standard base64, or undefined when it is. Line breaks (as `base64` wraps) are allowed. */
export function base64Problem(text: string): string | undefined {
  const compact = text.replace(WHITESPACE, "");
  if (!BASE64_ALPHABET.test(compact)) {
    return "is not valid base64 (only A-Z, a-z, 0-9, '+', '/' and trailing '=' are allowed)";
  }
  if (compact.length % 4 === 1) {
    return "is not valid base64 (its length is not a whole number of bytes)";
  }
  return undefined;
}

/** Decodes standard base64 (line breaks allowed, padding optional). Throws on anything else. */
export function decodeBase64(text: string): Uint8Array {
  const problem = base64Problem(text);
  if (problem) throw new TypeError(`value ${problem}`);
  const buffer = Buffer.from(text.replace(WHITESPACE, ""), "base64");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Decodes base64 that must hold UTF-8 text. Throws when the bytes are not valid UTF-8. */
export function decodeBase64Text(text: string): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(decodeBase64(text));
}

/** Encodes bytes or UTF-8 text as standard base64 without line breaks. */
export function encodeBase64(value: Uint8Array | string): string {
  return (typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value)).toString("base64");
}

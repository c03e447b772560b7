/**
 * Base64 text decoded piece by piece, so that an upload given as base64 (REST ContentBytes,
 * addFileAttachmentFromBase64Async) never exists whole as bytes: each piece goes to the blob store and is dropped.
 * Gives exactly the bytes `Buffer.from(text, "base64")` would.
 */
const PIECE_CHARS = 1024 * 1024; // a multiple of 4: every piece but the last decodes without padding

export function* base64Pieces(text: string, pieceChars = PIECE_CHARS): Generator<Buffer> {
  let clean = text;
  // Whitespace or other characters Node ignores would shift the 4-character groups of a slice: drop them first.
  if (/[^A-Za-z0-9+/\-_=]/.test(clean)) clean = clean.replace(/[^A-Za-z0-9+/\-_=]/g, "");
  const firstPad = clean.indexOf("=");
  if (firstPad >= 0 && /[^=]/.test(clean.slice(firstPad))) {
    // Padding in the middle: Node's decoder has its own rules for that; let it decide, in one go.
    yield Buffer.from(clean, "base64");
    return;
  }
  for (let i = 0; i < clean.length; i += pieceChars) yield Buffer.from(clean.slice(i, i + pieceChars), "base64");
}

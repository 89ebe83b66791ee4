// Little-endian reads for hot paths: plain index arithmetic, which V8 inlines
// (Buffer's readUInt32LE adds argument checks on every call).

export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function i8(b: Uint8Array, o: number): number {
  return (b[o] << 24) >> 24;
}

export function i16(b: Uint8Array, o: number): number {
  return ((b[o] | (b[o + 1] << 8)) << 16) >> 16;
}

export function i32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

/** Writes v (a u32, or any number: its low 32 bits) little-endian at b[o]. */
export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v; b[o + 1] = v >>> 8; b[o + 2] = v >>> 16; b[o + 3] = v >>> 24;
}

/** Bytes [start, end) of b up to the first NUL, as a byte string (a C string read within bounds). */
export function cString(b: Buffer, start: number, end: number): string {
  let z = start;
  while (z < end && b[z] !== 0) z++;
  return b.toString('latin1', start, z);
}

/** A string up to its first NUL, as C string handling sees it. */
export function beforeNul(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

// Byte strings: text taken from events and capture files is kept as a JS
// string with one char per byte (latin1 decoding), so every byte a capture
// holds reaches the output unchanged, valid UTF-8 or not, and widths count
// bytes as sysdig's do. Text from the user (command line, chisel scripts)
// is Unicode and becomes a byte string (its UTF-8 bytes) where it meets
// event data.

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Unicode text → byte string of its UTF-8 encoding. */
export function textToBytes(s: string): string {
  return isAscii(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** Byte string → Unicode text (UTF-8 decoding, invalid sequences replaced): for messages. */
export function bytesToText(s: string): string {
  return isAscii(s) ? s : Buffer.from(s, 'latin1').toString('utf8');
}

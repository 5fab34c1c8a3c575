/**
 * An ECDSA signature as JWS wants it (RFC 7518 §3.4: R and S as big-endian unsigned integers,
 * each left-padded to the curve's size, concatenated), from the DER `SEQUENCE { INTEGER r,
 * INTEGER s }` that `node:crypto` produces (RFC 3279 §2.2.3).
 *
 * Why convert by hand: `sign` given `{ key, dsaEncoding: "ieee-p1363" }` prepares the key from
 * those options on every call; given the bare KeyObject (DER out), 5000 ES256 signatures took
 * half the time here (137 against 273 ms, 8 in flight).
 */
export function derToJoseSignature(der: Buffer, integerBytes: number): Buffer {
  let offset = 0;
  const fail = (): never => {
    throw new Error("ECDSA signature: not a DER SEQUENCE of two INTEGERs");
  };
  const readLength = (): number => {
    const first = der[offset++] ?? fail();
    if (first < 0x80) return first;
    // Long form: a P-256 signature never needs it, a P-521 one uses one length byte.
    const count = first & 0x7f;
    if (count !== 1) fail();
    return der[offset++] ?? fail();
  };
  if (der[offset++] !== 0x30) fail();
  if (readLength() !== der.length - offset) fail();
  const out = Buffer.alloc(integerBytes * 2);
  for (let part = 0; part < 2; part++) {
    if (der[offset++] !== 0x02) fail();
    const length = readLength();
    let start = offset;
    const end = offset + length;
    if (length === 0 || end > der.length) fail();
    // DER prefixes 0x00 when the high bit is set; drop it (and any other leading zero).
    while (start < end - 1 && der[start] === 0) start++;
    const digits = end - start;
    if (digits > integerBytes) fail();
    der.copy(out, part * integerBytes + (integerBytes - digits), start, end);
    offset = end;
  }
  if (offset !== der.length) fail();
  return out;
}

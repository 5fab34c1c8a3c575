import { generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { derToJoseSignature } from "../../server/keys/ecdsa-signature";

const der = (...bytes: number[]) => Buffer.from(bytes);

/** The significant bytes of R and S in a short-form DER signature, without DER's sign byte. */
function integerDigits(signature: Buffer): number[] {
  const digits: number[] = [];
  let offset = 2;
  for (let part = 0; part < 2; part++) {
    const length = signature[offset + 1]!;
    digits.push(length - (signature[offset + 2] === 0 ? 1 : 0));
    offset += 2 + length;
  }
  return digits;
}

describe("ECDSA signatures in JWS form (RFC 7518 §3.4)", () => {
  it("turns DER signatures of P-256, short integers among them, into the R || S that node:crypto verifies as ieee-p1363", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    // R or S below 2^248 has fewer than 32 bytes of digits: about one signature in 128. Counting
    // DER lengths instead (an earlier version) missed them when the other integer carried a sign
    // byte, and 2000 signatures then held none about one run in fifty. Sign until some are seen.
    let short = 0;
    let signed = 0;
    while (signed < 2000 || (short < 4 && signed < 50_000)) {
      const data = Buffer.from(`token ${signed++}`);
      const signature = sign("sha256", data, privateKey);
      if (integerDigits(signature).some((digits) => digits < 32)) short++;
      const jose = derToJoseSignature(signature, 32);
      expect(jose).toHaveLength(64);
      expect(verify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, jose)).toBe(
        true,
      );
    }
    expect(short).toBeGreaterThanOrEqual(4);
  });

  it("pads a short R and drops the sign byte DER puts before an S whose high bit is set", () => {
    const r = Array.from({ length: 31 }, (_, index) => index + 1);
    const s = [0x00, 0x80, ...Array.from({ length: 31 }, () => 0x11)];
    const signature = der(
      0x30,
      2 + r.length + 2 + s.length,
      0x02,
      r.length,
      ...r,
      0x02,
      s.length,
      ...s,
    );
    expect([...derToJoseSignature(signature, 32)]).toEqual([0, ...r, ...s.slice(1)]);
  });

  it.each([
    ["not a SEQUENCE", der(0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)],
    ["a length that is not the rest", der(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)],
    ["a truncated INTEGER", der(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x05, 0x01)],
    [
      "an INTEGER longer than the curve",
      der(0x30, 0x26, 0x02, 0x21, ...Array(33).fill(0x7f), 0x02, 0x01, 0x01),
    ],
  ])("refuses %s", (_, signature) => {
    expect(() => derToJoseSignature(signature, 32)).toThrow(
      "ECDSA signature: not a DER SEQUENCE of two INTEGERs",
    );
  });
});

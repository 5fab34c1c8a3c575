import { generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { derToJoseSignature } from "../../server/keys/ecdsa-signature";

const der = (...bytes: number[]) => Buffer.from(bytes);

describe("ECDSA signatures in JWS form (RFC 7518 §3.4)", () => {
  it("turns 2000 DER signatures of P-256 into the R || S that node:crypto verifies as ieee-p1363", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    let short = 0;
    for (let index = 0; index < 2000; index++) {
      const data = Buffer.from(`token ${index}`);
      const signature = sign("sha256", data, privateKey);
      // An integer below 2^248 is encoded shorter than 32 bytes: about one signature in 128.
      if (signature.length < 70) short++;
      const jose = derToJoseSignature(signature, 32);
      expect(jose).toHaveLength(64);
      expect(verify("sha256", data, { key: publicKey, dsaEncoding: "ieee-p1363" }, jose)).toBe(
        true,
      );
    }
    expect(short).toBeGreaterThan(0);
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

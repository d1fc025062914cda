// The metrics and webhook servers' self-signed certificate: valid DER every time (a random serial
// once made 1 certificate in 128 unparseable).
import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { selfSignedCert } from "../../src/runtime/internal/self-signed.js";

describe("selfSignedCert", () => {
  it("makes a parseable certificate with a positive, minimally encoded serial, 500 times in a row", () => {
    for (let i = 0; i < 500; i++) {
      const { cert } = selfSignedCert(`run-${i}`);
      const x = new X509Certificate(cert);
      expect(x.subject).toBe(`CN=run-${i}`);
      expect(x.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
    }
  });
  it("names the hosts as subject alternative names", () => {
    const x = new X509Certificate(selfSignedCert("svc", ["my-svc.ns.svc", "127.0.0.1"]).cert);
    expect(x.subjectAltName).toBe("DNS:my-svc.ns.svc, IP Address:127.0.0.1");
    expect(x.checkHost("my-svc.ns.svc")).toBe("my-svc.ns.svc");
  });
});

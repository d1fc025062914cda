/**
 * Certificates for a local control plane: serving CA + cert, client CA + admin cert, SA signing key.
 * @module
 */
import { generateKeyPairSync, webcrypto } from "node:crypto";
import type { Extension } from "@peculiar/x509";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** A PEM certificate with its PEM (PKCS#8) private key. */
export interface CertPair {
  cert: string;
  key: string;
}

/** Everything the apiserver and the kubeconfig need. */
export interface ControlPlaneCerts {
  /** CA that signed the apiserver's serving certificate (goes into the kubeconfig). */
  servingCA: CertPair;
  /** Serving certificate for `localhost` and `127.0.0.1` (`apiserver.crt`/`apiserver.key`). */
  serving: CertPair;
  /** CA the apiserver trusts for client certificates (`--client-ca-file`). */
  clientCA: CertPair;
  /** Client certificate CN=admin, O=system:masters. */
  admin: CertPair;
  /** Service-account signing key (PKCS#8 PEM) and its public key (SPKI PEM). */
  serviceAccount: { key: string; publicKey: string };
  /** Issues more client certificates from the client CA (e.g. users with fewer rights). */
  issueClientCert(user: string, groups: string[]): Promise<CertPair>;
}

type X509 = typeof import("@peculiar/x509");
let x509Promise: Promise<X509> | undefined;

/** Loads @peculiar/x509 lazily (it needs reflect-metadata first and costs ~0.2 s to import). */
function loadX509(): Promise<X509> {
  x509Promise ??= (async () => {
    await import("reflect-metadata");
    const mod = await import("@peculiar/x509");
    mod.cryptoProvider.set(webcrypto as unknown as Parameters<typeof mod.cryptoProvider.set>[0]);
    return mod;
  })();
  return x509Promise;
}

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const VALIDITY_MS = 7 * 24 * 3600 * 1000;

interface Issuer {
  name: string;
  keys: CryptoKeyPair;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  const b64 = der.toString("base64").replace(/.{64}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 60_000), notAfter: new Date(now + VALIDITY_MS) };
}

async function newCA(x: X509, commonName: string): Promise<Issuer & { pair: CertPair }> {
  const keys = await newKeys();
  const name = `CN=${commonName}, O=tsop-envtest`;
  const cert = await x.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    signingAlgorithm: SIGN,
    ...validity(),
    extensions: [
      new x.BasicConstraintsExtension(true, undefined, true),
      new x.KeyUsagesExtension(x.KeyUsageFlags.keyCertSign | x.KeyUsageFlags.digitalSignature | x.KeyUsageFlags.cRLSign, true),
      await x.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, keys, pair: { cert: cert.toString("pem") + "\n", key: await keyPem(keys.privateKey) } };
}

async function issue(
  x: X509,
  ca: Issuer,
  subject: string,
  usage: "server" | "client",
  dnsNames: string[] = [],
  ips: string[] = [],
): Promise<CertPair> {
  const keys = await newKeys();
  const extensions: Extension[] = [
    new x.BasicConstraintsExtension(false, undefined, true),
    new x.KeyUsagesExtension(x.KeyUsageFlags.digitalSignature | x.KeyUsageFlags.keyEncipherment, true),
    new x.ExtendedKeyUsageExtension([usage === "server" ? x.ExtendedKeyUsage.serverAuth : x.ExtendedKeyUsage.clientAuth]),
  ];
  if (dnsNames.length + ips.length > 0) {
    extensions.push(
      new x.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...ips.map((value) => ({ type: "ip" as const, value })),
      ]),
    );
  }
  const cert = await x.X509CertificateGenerator.create({
    subject,
    issuer: ca.name,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: SIGN,
    ...validity(),
    extensions,
  });
  return { cert: cert.toString("pem") + "\n", key: await keyPem(keys.privateKey) };
}

/** Generates a fresh set of ECDSA P-256 certificates valid for 7 days. */
export async function generateControlPlaneCerts(): Promise<ControlPlaneCerts> {
  const x = await loadX509();
  const [servingCA, clientCA] = await Promise.all([newCA(x, "tsop-envtest-serving-ca"), newCA(x, "tsop-envtest-client-ca")]);
  const [serving, admin] = await Promise.all([
    issue(x, servingCA, "CN=localhost", "server", ["localhost"], ["127.0.0.1"]),
    issue(x, clientCA, "CN=admin, O=system:masters", "client"),
  ]);
  const sa = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    servingCA: servingCA.pair,
    serving,
    clientCA: clientCA.pair,
    admin,
    issueClientCert: (user, groups) => issue(x, clientCA, [`CN=${user}`, ...groups.map((g) => `O=${g}`)].join(", "), "client"),
    serviceAccount: {
      key: sa.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      publicKey: sa.publicKey.export({ type: "spki", format: "pem" }).toString(),
    },
  };
}

/** A CA and a serving certificate it signed for `localhost` and `127.0.0.1` (a local webhook server's). */
export async function generateWebhookServingCerts(): Promise<{ ca: CertPair; serving: CertPair }> {
  const x = await loadX509();
  const ca = await newCA(x, "tsop-envtest-webhook-ca");
  const serving = await issue(x, ca, "CN=localhost", "server", ["localhost"], ["127.0.0.1"]);
  return { ca: ca.pair, serving };
}

/**
 * Keeps a TLS server's certificate current: reads `<dir>/<cert>` and `<dir>/<key>`, then re-reads
 * them when the directory changes (a Secret volume swaps its `..data` symlink when cert-manager
 * rotates) and on a slow poll as a fallback, and swaps them in with `setSecureContext`. A pair that
 * does not load is logged and the previous one kept.
 * @module
 */
import { watch, type FSWatcher } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createSecureContext } from "node:tls";
import { UserError } from "../../errors.js";
import type { Logger } from "../log/types.js";

/** A PEM certificate chain and key. */
export interface KeyPair { cert: Buffer; key: Buffer }

/** Options of {@link CertWatcher}. */
export interface CertWatcherOptions {
  dir: string;
  certName: string;
  keyName: string;
  /** Poll interval in ms besides the directory watch. Default: 10000. */
  pollIntervalMs?: number;
  logger?: Logger;
}

/** Reads a certificate pair; a missing or unreadable file is a {@link UserError} naming the flag. */
export async function readKeyPair(dir: string, certName: string, keyName: string): Promise<KeyPair> {
  const read = async (name: string, flag: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, name));
    } catch (err) {
      throw new UserError("webhook-cert", `webhook ${flag === "webhook-cert-name" ? "certificate" : "key"} ${join(dir, name)} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
        hint: `mount the serving certificate there (cert-manager: config/certmanager), or point --webhook-cert-path/--${flag} at it`, cause: err,
      });
    }
  };
  const pair = { cert: await read(certName, "webhook-cert-name"), key: await read(keyName, "webhook-cert-key") };
  try {
    createSecureContext(pair);
  } catch (err) {
    throw new UserError("webhook-cert", `webhook certificate ${join(dir, certName)} and key ${join(dir, keyName)} do not load: ${(err as Error).message}`, { hint: "they must be a PEM certificate and its PEM private key", cause: err });
  }
  return pair;
}

/** Watches a certificate directory and calls `onChange` with each new valid pair. */
export class CertWatcher {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private current: KeyPair | undefined;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly opts: CertWatcherOptions, private readonly onChange: (pair: KeyPair) => void) {}

  /** Reads the pair (throws when it cannot) and starts watching. */
  async start(): Promise<KeyPair> {
    this.current = await readKeyPair(this.opts.dir, this.opts.certName, this.opts.keyName);
    try {
      this.watcher = watch(this.opts.dir, () => this.schedule());
      this.watcher.on("error", () => undefined);
    } catch {
      // the poll below still notices rotations
    }
    this.timer = setInterval(() => this.schedule(), this.opts.pollIntervalMs ?? 10_000);
    this.timer.unref();
    return this.current;
  }

  /** Stops watching. */
  stop(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.pending);
  }

  // Several events arrive for one rotation (two files, a symlink swap): read once they settle.
  private schedule(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => void this.reload(), 50);
    this.pending.unref();
  }

  private async reload(): Promise<void> {
    let pair: KeyPair;
    try {
      pair = await readKeyPair(this.opts.dir, this.opts.certName, this.opts.keyName);
    } catch (err) {
      this.opts.logger?.error({ err: (err as Error).message }, "webhook certificate reload failed; keeping the previous one");
      return;
    }
    if (this.current && pair.cert.equals(this.current.cert) && pair.key.equals(this.current.key)) return;
    this.current = pair;
    this.opts.logger?.info({ dir: this.opts.dir }, "webhook certificate reloaded");
    this.onChange(pair);
  }
}

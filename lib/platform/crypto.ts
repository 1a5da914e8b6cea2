import crypto from "node:crypto";
import { env } from "./env";

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

// Tokens with 256 bits of entropy need no salt or slow hash: SHA-256 is enough to make
// a database dump useless for signing in.
export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function timingSafeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

// AES-256-GCM with the key id stored beside the ciphertext, so keys can rotate: the
// first key in ENCRYPTION_KEYS encrypts, any listed key decrypts. The context (what the
// value is and whose) is authenticated data, so a ciphertext moved to another row fails.
const FORMAT = "v1";

export function encrypt(plaintext: string, context: string): string {
  const [current] = env().ENCRYPTION_KEYS;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", current.key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    FORMAT,
    current.id,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(":");
}

export function decrypt(sealed: string, context: string): string {
  const [format, keyId, iv, tag, ciphertext] = sealed.split(":");
  if (format !== FORMAT || !keyId || !iv || !tag || ciphertext === undefined) throw new Error("malformed ciphertext");
  const entry = env().ENCRYPTION_KEYS.find((k) => k.id === keyId);
  if (!entry) throw new Error(`encryption key ${keyId} is not configured`);
  const decipher = crypto.createDecipheriv("aes-256-gcm", entry.key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

export function keyIdOf(sealed: string): string {
  return sealed.split(":")[1] ?? "";
}

// Keyed hashes for looking up short secrets (recovery codes, one-time codes) without
// storing them: one hash per configured key, so lookups survive key rotation.
export function keyedHashes(value: string, purpose: string): string[] {
  return env().ENCRYPTION_KEYS.map(({ key }) =>
    crypto.createHmac("sha256", key).update(`${purpose}\0${value}`).digest("hex"),
  );
}

export function keyedHash(value: string, purpose: string): string {
  return keyedHashes(value, purpose)[0];
}

import crypto from "node:crypto";

// A passkey authenticator in software, for tests: ES256 (P-256) keys from node:crypto,
// "none" attestation, and the byte layouts of W3C WebAuthn §6.1 (authenticator data) and
// §6.5 (attestation object). It is written independently of @simplewebauthn (its own CBOR
// encoder), so the library is checked against the spec rather than against itself. Every
// knob produces one kind of forgery for the tests to refuse.

type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue>;

// RFC 8949 §3: the head of a data item, a major type and an argument.
function cborHead(major: number, argument: number): Buffer {
  if (argument < 24) return Buffer.from([(major << 5) | argument]);
  if (argument < 0x100) return Buffer.from([(major << 5) | 24, argument]);
  if (argument < 0x10000) return Buffer.from([(major << 5) | 25, argument >> 8, argument & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(argument, 1);
  return head;
}

// Only what WebAuthn needs: integers, byte and text strings, arrays and maps (keys kept in
// the order given, which is CTAP2's canonical order for the maps built here).
function cbor(value: CborValue): Buffer {
  if (typeof value === "number") return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([cborHead(4, value.length), ...value.map(cbor)]);
  const entries = [...value.entries()].flatMap(([key, item]) => [cbor(key), cbor(item)]);
  return Buffer.concat([cborHead(5, value.size), ...entries]);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const sha256 = (data: Buffer | string) => crypto.createHash("sha256").update(data).digest();
const b64url = (data: Uint8Array) => Buffer.from(data).toString("base64url");

type SoftCredential = {
  id: string;
  privateKey: crypto.KeyObject;
  // The COSE_Key (RFC 9053 §7.1.1) the server should store, base64url.
  publicKey: string;
  userHandle: string;
  counter: number;
};

// What the page's JavaScript and the authenticator would put together, and the ways to forge it.
type Knobs = {
  origin?: string;
  rpId?: string;
  challenge?: string;
  type?: string;
  userPresent?: boolean;
  userVerified?: boolean;
  backupEligible?: boolean;
  backedUp?: boolean;
  // The signature counter to report; by default one more than last time.
  counter?: number;
  // The id to put in the response, instead of the credential's own.
  id?: string;
  // How long a credential id to make (32 bytes by default, as most authenticators do).
  idBytes?: number;
  // Sign with this key instead of the credential's.
  signWith?: crypto.KeyObject;
  // The user handle to report; null leaves it out, as security keys may at the second step.
  userHandle?: string | null;
  // The authenticator's model (AAGUID) at registration, hyphenated; all zeros by default.
  aaguid?: string;
};

function aaguidBytes(aaguid = "00000000-0000-0000-0000-000000000000") {
  const bytes = Buffer.from(aaguid.replaceAll("-", ""), "hex");
  if (bytes.length !== 16) throw new Error("an AAGUID is 16 bytes");
  return bytes;
}

export function newKeyPair() {
  return crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
}

function coseKey(publicKey: crypto.KeyObject): Buffer {
  const jwk = publicKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y) throw new Error("not an EC key");
  return cbor(
    new Map<number, CborValue>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x, "base64url")],
      [-3, Buffer.from(jwk.y, "base64url")],
    ]),
  );
}

function flags(knobs: Knobs, extra = 0) {
  return (
    (knobs.userPresent === false ? 0 : FLAG_UP) |
    (knobs.userVerified === false ? 0 : FLAG_UV) |
    (knobs.backupEligible ? FLAG_BE : 0) |
    (knobs.backedUp ? FLAG_BS : 0) |
    extra
  );
}

function authenticatorData(rpId: string, flagByte: number, counter: number, attested?: Buffer) {
  const counterBytes = Buffer.alloc(4);
  counterBytes.writeUInt32BE(counter);
  return Buffer.concat([sha256(rpId), Buffer.from([flagByte]), counterBytes, ...(attested ? [attested] : [])]);
}

function clientData(type: string, challenge: string, origin: string) {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8");
}

export function createSoftAuthenticator(defaults: { origin: string; rpId: string }) {
  const credentials = new Map<string, SoftCredential>();

  // navigator.credentials.create(): a new ES256 credential for the options' user.
  function register(options: { challenge: string; user: { id: string } }, knobs: Knobs = {}) {
    const { privateKey, publicKey } = newKeyPair();
    const rawId = crypto.randomBytes(knobs.idBytes ?? 32);
    const credential: SoftCredential = {
      id: b64url(rawId),
      privateKey,
      publicKey: b64url(coseKey(publicKey)),
      userHandle: options.user.id,
      counter: knobs.counter ?? 0,
    };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(rawId.length);
    const attested = Buffer.concat([aaguidBytes(knobs.aaguid), idLength, rawId, coseKey(publicKey)]);
    const authData = authenticatorData(
      knobs.rpId ?? defaults.rpId,
      flags(knobs, FLAG_AT),
      credential.counter,
      attested,
    );
    const attestationObject = cbor(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    const clientDataJSON = clientData(
      knobs.type ?? "webauthn.create",
      knobs.challenge ?? options.challenge,
      knobs.origin ?? defaults.origin,
    );
    credentials.set(credential.id, credential);
    const id = knobs.id ?? credential.id;
    return {
      credential,
      response: {
        id,
        rawId: id,
        type: "public-key",
        response: {
          clientDataJSON: b64url(clientDataJSON),
          attestationObject: b64url(attestationObject),
          transports: ["internal"],
        },
        clientExtensionResults: {},
        authenticatorAttachment: "platform",
      },
    };
  }

  // navigator.credentials.get(): an assertion by one of this authenticator's credentials.
  function assert(credentialId: string, options: { challenge: string }, knobs: Knobs = {}) {
    const credential = credentials.get(credentialId);
    if (!credential) throw new Error("no such credential on this authenticator");
    const counter = knobs.counter ?? credential.counter + 1;
    credential.counter = counter;
    const authData = authenticatorData(knobs.rpId ?? defaults.rpId, flags(knobs), counter);
    const clientDataJSON = clientData(
      knobs.type ?? "webauthn.get",
      knobs.challenge ?? options.challenge,
      knobs.origin ?? defaults.origin,
    );
    // ECDSA over authenticatorData || SHA-256(clientDataJSON), DER-encoded (§6.3.3).
    const signature = crypto.sign(
      "sha256",
      Buffer.concat([authData, sha256(clientDataJSON)]),
      knobs.signWith ?? credential.privateKey,
    );
    const id = knobs.id ?? credential.id;
    return {
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(knobs.userHandle === null ? {} : { userHandle: knobs.userHandle ?? credential.userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  return { register, assert, credentials };
}

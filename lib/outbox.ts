import { decrypt, encrypt } from "./crypto";
import { db } from "./db";

// Messages carry sign-in and setup codes, password-reset and invitation links, so their
// body is stored sealed under ENCRYPTION_KEYS, like TOTP secrets (SPEC §14): a database
// dump alone reveals none of them. The channel and recipient are authenticated data, so
// a body copied into another person's row does not open. The subject stays readable and
// never holds a secret.

type Addressed = { channel: string; to: string };

function context(message: Addressed) {
  return `outbox:${message.channel}:${message.to}`;
}

export function sealMessageBody(message: Addressed & { text: string }): string {
  return encrypt(message.text, context(message));
}

// The text of a stored message, or null when it cannot be read: emptied by the migration
// that began sealing bodies, or sealed under a key no longer in ENCRYPTION_KEYS.
export function readMessageBody(message: Addressed & { body: string }): string | null {
  if (!message.body) return null;
  try {
    return decrypt(message.body, context(message));
  } catch {
    return null;
  }
}

// The local outbox (/dev/outbox, never in production), newest first, opened for display.
export async function listOutbox(limit = 100) {
  const messages = await db.outboundMessage.findMany({
    where: { provider: "outbox" },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  return messages.map(({ body, ...message }) => ({ ...message, text: readMessageBody({ ...message, body }) }));
}

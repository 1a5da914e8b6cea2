import { isLoopbackAddress } from "@/lib/platform/client-address";
import { decrypt, encrypt } from "@/lib/platform/crypto";
import { db } from "@/lib/platform/db";
import type { Env } from "@/lib/platform/env";

// Messages carry sign-in and setup codes, password-reset and invitation links, so their
// body is stored sealed under ENCRYPTION_KEYS, like TOTP secrets (docs/security-model.md,
// "What is stored how"): a database dump alone reveals none of them. The channel and
// recipient are authenticated data, so a body copied into another person's row does not
// open. The subject stays readable and never holds a secret.

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

// Who may read the local outbox: it holds live sign-in codes, reset and invitation links,
// so only a person at this machine, and never in production (README, "Quick start").
// The client address is the one scripts/serve.ts decided (lib/platform/client-address.ts): behind
// a trusted proxy, the client's own, never the proxy's. The Host must name this machine
// too, so that neither a web page the developer visits (DNS rebinding: its requests reach
// 127.0.0.1 under its own name) nor a local proxy passing the public Host along reads it.
export function outboxOpenTo(options: { appEnv: Env["APP_ENV"]; clientAddress: string; host: string | null }) {
  if (options.appEnv === "production" || !isLoopbackAddress(options.clientAddress)) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${options.host ?? ""}`).hostname;
  } catch {
    return false;
  }
  return hostname === "localhost" || hostname.endsWith(".localhost") || isLoopbackAddress(hostname);
}

// The local outbox (/dev/outbox, see outboxOpenTo), newest first, opened for display.
export async function listOutbox(limit = 100) {
  const messages = await db.outboundMessage.findMany({
    where: { provider: "outbox" },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  return messages.map(({ body, ...message }) => ({ ...message, text: readMessageBody({ ...message, body }) }));
}

import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { LocalTime } from "@/components/local-time";
import { listOutbox, outboxOpenTo } from "@/lib/messages/outbox";
import { env } from "@/lib/platform/env";
import { requestInfoFrom } from "@/lib/platform/request-info";

export const metadata: Metadata = { title: "Outbox (development)" };

// The local outbox: what would have been emailed or texted, for development and tests.
// Anyone else, and everyone in production, is told it does not exist (lib/messages/outbox.ts,
// outboxOpenTo). Bodies are stored sealed and opened here.
export default async function OutboxPage() {
  const asked = await headers();
  const { ip } = requestInfoFrom(asked);
  if (!outboxOpenTo({ appEnv: env().APP_ENV, clientAddress: ip, host: asked.get("host") })) notFound();
  const messages = await listOutbox();
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-semibold tracking-tight">Outbox</h1>
      <p className="mt-1 text-sm text-slate-600">
        Messages kept locally because no email or SMS provider is configured. Development only, and only from this
        machine.
      </p>
      {messages.length === 0 ? <p className="mt-6 text-sm text-slate-500">No messages yet.</p> : null}
      <ol className="mt-6 space-y-4" aria-label="Messages">
        {messages.map((m) => (
          <li key={m.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <p className="text-xs text-slate-500">
              {m.channel.toUpperCase()} to <span className="font-medium text-slate-800">{m.to}</span> ·{" "}
              <LocalTime at={m.createdAt} seconds />
            </p>
            {m.subject ? <h2 className="mt-1 font-semibold">{m.subject}</h2> : null}
            {m.text === null ? (
              <p className="mt-2 text-sm italic text-slate-500">
                Text not kept: sent before bodies were encrypted, or under a key no longer configured.
              </p>
            ) : (
              <pre className="mt-2 whitespace-pre-wrap break-words font-sans text-sm text-slate-700">{m.text}</pre>
            )}
          </li>
        ))}
      </ol>
    </main>
  );
}

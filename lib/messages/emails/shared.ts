import type { ReactElement } from "react";
import { env } from "@/lib/platform/env";

// What every message in this folder returns: its subject, its markup (React, rendered to
// HTML by lib/messages/email.ts) and its plain-text alternative. The text is what the outbox
// keeps (and, for a code, what a text message carries), so it holds every fact, link and
// code the markup does. Durations come from lib/config.ts.
export type EmailContent = { subject: string; react: ReactElement; text: string };

// The HTML react-email makes of a template: what the resend client's `react:` option
// sends (it renders with the same @react-email/render). Imported when called, as the
// resend client does: Next.js refuses a static import of react-dom/server in server code.
export async function renderHtml(content: EmailContent): Promise<string> {
  const { render } = await import("@react-email/render");
  return render(content.react);
}

export const url = (path: string) => `${env().APP_URL}${path}`;

const HOUR_MS = 60 * 60_000;
export function formatDuration(ms: number): string {
  if (ms % HOUR_MS === 0) return ms === HOUR_MS ? "one hour" : `${ms / HOUR_MS} hours`;
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

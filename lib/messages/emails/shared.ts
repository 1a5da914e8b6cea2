import type { ReactElement } from "react";
import { env } from "@/lib/platform/env";

// What every message in this folder returns: its subject and its markup (React, rendered
// to HTML by lib/messages/email.ts). Its plain-text alternative, which the outbox keeps, is
// made from that markup (renderText), so it holds every fact, link and code the markup
// does. Only a message whose words also go out by text message (a sign-in or set-up code)
// carries its `text` written out, so that the SMS and the email say the same. Durations
// come from lib/config.ts.
export type EmailContent = { subject: string; react: ReactElement; text?: string };

// Imported when called, as the resend client does: Next.js refuses a static import of
// react-dom/server in server code.
const renderer = () => import("@react-email/render");

// The HTML react-email makes of a template: what the resend client's `react:` option
// sends (it renders with the same @react-email/render).
export async function renderHtml(content: EmailContent): Promise<string> {
  const { render } = await renderer();
  return render(content.react);
}

// The plain-text part: the written-out text if the message has one, else its markup as
// text. react-email never wraps lines, so a link stays whole; list items start with "- ",
// as people write lists in plain text.
export async function renderText(content: EmailContent): Promise<string> {
  if (content.text !== undefined) return content.text;
  const { render } = await renderer();
  return render(content.react, {
    plainText: true,
    htmlToTextOptions: { selectors: [{ selector: "ul", options: { itemPrefix: "- " } }] },
  });
}

export const url = (path: string) => `${env().APP_URL}${path}`;

const HOUR_MS = 60 * 60_000;
export function formatDuration(ms: number): string {
  if (ms % HOUR_MS === 0) return ms === HOUR_MS ? "one hour" : `${ms / HOUR_MS} hours`;
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

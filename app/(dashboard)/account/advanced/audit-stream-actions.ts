"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminErrorText, SUDO_EXPIRED_TEXT } from "@/app/messages";
import { auditStreamText } from "@/app/messages/audit-stream";
import { getRequestInfo, requireSudo } from "@/dal";
import {
  disableAuditStream,
  isAllowedWebhookUrl,
  rotateAuditStreamSecret,
  saveAuditStream,
  sendAuditStreamTest,
} from "@/lib/audit/stream-settings";
import { type FormState, fieldErrorsOf, formValues } from "@/lib/form-state";
import { requireForm } from "@/lib/platform/action-arguments";

// The signing secret travels back to the form once, never again (README "Audit streaming").
export type AuditStreamState = FormState & { secret?: string };

const url = z
  .string()
  .trim()
  .min(1, auditStreamText.urlMissing)
  .max(2_000, auditStreamText.urlTooLong)
  .refine(isAllowedWebhookUrl, auditStreamText.urlRefused);

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), url }),
  z.object({ intent: z.enum(["rotate", "disable", "test"]) }),
]);

type Who = Parameters<typeof rotateAuditStreamSecret>[0];

// What each of the card's buttons does.
const intents = {
  rotate: rotateAuditStreamSecret,
  disable: disableAuditStream,
  test: sendAuditStreamTest,
} satisfies Record<string, (who: Who) => Promise<unknown>>;

// Account settings → Advanced → Audit streaming: one action for the card's forms, each
// saying what it is for in `intent`. An admin in sudo mode only.
export async function auditStreamAction(_: AuditStreamState, formData: FormData): Promise<AuditStreamState> {
  requireForm(formData);
  const values = formValues(formData, ["url"]);
  const parsed = schema.safeParse({ intent: formData.get("intent"), url: formData.get("url") ?? undefined });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error), values };
  const session = await requireSudo({ admin: true });
  if (!session) return { ok: false, error: SUDO_EXPIRED_TEXT, values };
  const who = { actor: session.user, request: await getRequestInfo() };
  const input = parsed.data;
  const result =
    input.intent === "save" ? await saveAuditStream({ ...who, url: input.url }) : await intents[input.intent](who);
  if (!result.ok)
    return {
      ok: false,
      error: result.error === "not_found" ? auditStreamText.notOn : adminErrorText(result.error),
      values,
    };
  revalidatePath("/account/advanced");
  const secret = "secret" in result && typeof result.secret === "string" ? result.secret : undefined;
  const messages = {
    save: secret ? auditStreamText.turnedOn : auditStreamText.saved,
    rotate: auditStreamText.rotated,
    disable: auditStreamText.disabled,
    test: auditStreamText.testQueued,
  };
  return { ok: true, message: messages[input.intent], secret };
}

import { ACTION_BODY_MAX_DEPTH, ACTION_MAX_ARGUMENTS } from "@/lib/config";

// What scripts/serve.ts checks in a server action's body before Next.js reads it (README
// "Request bodies and overload"). Next.js decodes the body with React's reply decoder and
// fails with a 500 on anything it cannot decode: text that is not JSON, JSON nested deeper
// than its recursion can go, a multipart body cut short. Those never come from a browser,
// so they are refused here with a 4xx, before any of the app's code runs.
//
// React posts a server action's arguments (the `Next-Action` header names the action) as
// text/plain, the arguments array as JSON, or as multipart/form-data when an argument is a
// form: then the part named "0" holds that array, other parts named by a number hold more
// JSON, and the form's own fields are named `<number>_<field>`. A form posted without
// JavaScript is multipart with `$ACTION_ID_…` or `$ACTION_REF_n` and JSON in `$ACTION_n:k`.

export type BodyRefusal = { status: 400 | 415; message: string };

const refusals = {
  notForm: { status: 415, message: "Unsupported media type: server actions take form data or React's encoding." },
  cutForm: { status: 400, message: "Bad request: the form data was incomplete." },
  notReply: { status: 400, message: "Bad request: the body is not a server action's arguments." },
} as const satisfies Record<string, BodyRefusal>;

// Nesting depth of a JSON text, counted without parsing it: JSON.parse copes with any depth,
// but React's decoder walks the result recursively.
function nestsWithin(text: string, max: number) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "[" || char === "{") {
      if (++depth > max) return false;
    } else if (char === "]" || char === "}") depth--;
  }
  return true;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!nestsWithin(text, ACTION_BODY_MAX_DEPTH)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isArguments(value: unknown) {
  return Array.isArray(value) && value.length <= ACTION_MAX_ARGUMENTS;
}

async function readForm(body: Buffer, contentType: string): Promise<FormData | null> {
  try {
    return await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
  } catch {
    return null;
  }
}

// Every JSON part of a reply must parse within the depth, and the arguments must be an array.
// Parts holding a file (React sends a Blob argument as one) are not JSON.
function replyRefusal(form: FormData, prefix: string, argumentsKey: string | null): BodyRefusal | null {
  for (const [key, value] of form) {
    if (!key.startsWith(prefix) || !/^[0-9a-f]+$/i.test(key.slice(prefix.length)) || typeof value !== "string")
      continue;
    const parsed = parseJson(value);
    if (!parsed.ok || (key === argumentsKey && !isArguments(parsed.value))) return refusals.notReply;
  }
  if (argumentsKey !== null && typeof form.get(argumentsKey) !== "string") return refusals.notReply;
  return null;
}

function textRefusal(body: Buffer): BodyRefusal | null {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return refusals.notReply;
  }
  const parsed = parseJson(text);
  return parsed.ok && isArguments(parsed.value) ? null : refusals.notReply;
}

// Why a POST's body would make Next.js fail before the app's code runs, or null when it
// is not for a server action or will decode.
export async function actionBodyRefusal(options: {
  actionId: string | undefined;
  contentType: string | undefined;
  body: Buffer;
}): Promise<BodyRefusal | null> {
  const contentType = options.contentType ?? "";
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (options.actionId !== undefined) {
    if (type === "text/plain") return textRefusal(options.body);
    if (type !== "multipart/form-data") return refusals.notForm;
    const form = await readForm(options.body, contentType);
    return form ? replyRefusal(form, "", "0") : refusals.cutForm;
  }
  // Without the header, only a multipart post can be a server action (a form posted
  // without JavaScript); anything else is an ordinary request for the page.
  if (type !== "multipart/form-data") return null;
  const form = await readForm(options.body, contentType);
  if (!form) return refusals.cutForm;
  for (const key of form.keys()) {
    if (!key.startsWith("$ACTION_REF_")) continue;
    const refusal = replyRefusal(form, `$ACTION_${key.slice("$ACTION_REF_".length)}:`, null);
    if (refusal) return refusal;
  }
  return null;
}

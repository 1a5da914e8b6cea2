import "server-only";
import { notFound } from "next/navigation";
import type { z } from "zod";
import { noteRefused } from "./request-outcome";

// A server action is a public endpoint, and React decodes whatever JSON is posted to it
// into its arguments: a form action can be sent an array where its FormData should be.
// So each action checks the shape of its arguments before anything else, and one that
// does not fit changes nothing and is answered 400 by scripts/serve.ts (README "Request
// bodies and overload"). notFound() is how an action stops without Next.js logging an
// error; without serve.ts in front the answer stays its 404.

function refuse(message: string): never {
  noteRefused(message);
  notFound();
}

// For actions a <form> calls: their last argument is the form's data.
export function requireForm(value: unknown): asserts value is FormData {
  if (!(value instanceof FormData)) refuse("Bad request: this action takes form data.");
}

// For actions the page's script calls with nothing.
export function requireNoArguments(args: unknown[]) {
  if (args.length > 0) refuse("Bad request: this action takes no arguments.");
}

// For actions the page's script calls with a value (a passkey's answer).
export function parseArgument<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) refuse("Bad request: the arguments do not fit this action.");
  return parsed.data;
}

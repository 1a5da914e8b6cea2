import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "@/lib/config";
import { methodName, TWO_FACTOR_METHODS } from "@/lib/factors/kinds";
import { CODE_FALLBACKS } from "@/lib/factors/sms-email/sign-in-codes";

// The API's shapes (docs/security-model.md, "The API"), once: the routes parse requests
// with these schemas and check their answers against them at compile time, and the OpenAPI
// document is made from them, so the description cannot drift from the code.

export const SignInRequest = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

// No length limit on the code: an over-long one is a failed attempt that counts towards
// the lockout, as on the web, not a free 400. Only a body past the 1 MiB every request is
// held to (lib/config.ts) is refused unread, with 413, on the API as on the web.
export const VerifyRequest = z.object({
  challenge: z.string().min(1).max(200).meta({ description: "The challenge the password step returned." }),
  code: z.string().meta({ description: "An app code, an SMS or email code, or a recovery code." }),
});

export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    // The second step's refusals carry the numbers and time their message states.
    attempts_left: z.number().int().optional().meta({
      description: "invalid_code, code_already_used: failed attempts left before the second step locks.",
    }),
    sign_in_tries_left: z.number().int().optional().meta({
      description: "invalid_code for an SMS or email code: wrong codes left before this sign-in ends.",
    }),
    locked_until: z.iso.datetime().optional().meta({
      description: "locked: when the lock ends (an admin can unlock sooner). Nothing is accepted until then.",
    }),
  }),
});

export const Token = z.object({ status: z.literal("ok"), token: z.string() });

const methodNames = ["passkey", "app", "sms", "email"] as const;

export const Challenge = z.object({
  status: z.literal("two_factor_required"),
  challenge: z.string().meta({ description: "Valid 10 minutes, for one completed sign-in." }),
  methods: z.array(z.enum([...methodNames, "recovery"])).meta({
    description:
      "The method this challenge waits for, then recovery if the user has codes left. Never passkey: WebAuthn needs a browser.",
  }),
  code_sent_by: z
    .enum(["sms", "email"])
    .optional()
    .meta({ description: "Where the code went, for SMS and email methods." }),
  code_fallback: z.enum(CODE_FALLBACKS).optional().meta({
    description:
      "Why an SMS user's code went by email: the text could not be sent (sms_failed), the hourly cap on texts per user or per account was reached (sms_limit), or the one on texts to the number's country (sms_country_limit), or the account does not text that country (sms_country).",
  }),
  next_code_at: z.iso.datetime().optional().meta({
    description:
      "No code was sent: the hourly cap on emailed sign-in codes was reached. Another can be sent from this time; a recovery code works meanwhile.",
  }),
  locked_until: z.iso.datetime().optional().meta({
    description:
      "The second step is locked after too many failed attempts until this time (no code was sent); an admin can unlock sooner.",
  }),
});

const role = z.enum(["OWNER", "ADMIN", "MEMBER"]);

export const Me = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  account: z.object({ id: z.string(), name: z.string() }),
  two_factor: z.object({
    method: z
      .enum(methodNames)
      .nullable()
      .meta({ description: "The method sign-in opens with: the strongest the user has. Null without 2FA." }),
    methods: z.array(z.enum(methodNames)).meta({ description: "Every method the user has, strongest first." }),
    passkeys: z.number().int().meta({ description: "How many passkeys or security keys the user has." }),
    exempt: z.boolean(),
  }),
  auth: z.object({ via: z.enum(["token", "session"]), scopes: z.array(z.enum(["read", "write", "admin"])) }),
});

export const AccountUsers = z.object({
  users: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role,
      two_factor: z.enum([...methodNames, "none", "exempt"]),
      // Every method the user has, strongest first; two_factor is their default one.
      methods: z.array(z.enum(TWO_FACTOR_METHODS.map(methodName))),
      compliant: z.boolean(),
      locked: z.boolean(),
      disabled: z.boolean(),
      last_sign_in_at: z.iso.datetime().nullable(),
    }),
  ),
});

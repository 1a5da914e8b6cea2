import { z } from "zod";
import { AccountUsers, ApiError, Challenge, Me, SignInRequest, Token, VerifyRequest } from "@/app/api/v1/schemas";

// The API's description (docs/security-model.md, "The API"), as OpenAPI 3.1, made from the
// same zod schemas the routes parse and answer with (schemas.ts, beside this file).
// app/api/v1/openapi.json/route.ts serves it.

function schema(type: z.ZodType, io: "input" | "output" = "output") {
  const { $schema: _, ...rest } = z.toJSONSchema(type, { target: "draft-2020-12", io, unrepresentable: "any" });
  return rest;
}

const json = (type: z.ZodType, io: "input" | "output" = "output") => ({
  "application/json": { schema: schema(type, io) },
});
const error = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});
const notJson = error("The body is not sent as application/json (code unsupported_media_type).");
const unavailable = error(
  "The database cannot be reached or cannot answer in time (code service_unavailable); Retry-After says when to try again.",
);
const tooLarge = error("The body is over 1 MiB (code payload_too_large); it was not read.");

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "StrongSign API",
    version: "1",
    description:
      'Sign in, with the second factor, and read who you are and, for admins, the 2FA status of your account\'s users. Errors are {"error":{"code","message"}}.',
  },
  servers: [{ url: "/api/v1" }],
  components: {
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        description: "A personal access token (ssp_…) from My Profile, or the token API sign-in returns.",
      },
    },
    schemas: {
      Error: schema(ApiError),
      Token: schema(Token),
      Challenge: schema(Challenge),
      Me: schema(Me),
      Users: schema(AccountUsers),
    },
  },
  paths: {
    "/auth/sign-in": {
      post: {
        summary: "Password step",
        requestBody: { required: true, content: json(SignInRequest, "input") },
        responses: {
          "200": {
            description: "Signed in, or the second factor is needed",
            content: {
              "application/json": {
                schema: { oneOf: [{ $ref: "#/components/schemas/Token" }, { $ref: "#/components/schemas/Challenge" }] },
              },
            },
          },
          "400": error("invalid_request"),
          "401": error("invalid_credentials"),
          "403": error("account_disabled"),
          "413": tooLarge,
          "415": notJson,
          "429": error("rate_limited; Retry-After says for how long."),
          "502": error("delivery_failed: neither SMS nor email could carry the code."),
          "503": unavailable,
        },
      },
    },
    "/auth/verify-2fa": {
      post: {
        summary: "Second step: an app code, an SMS or email code, or a recovery code",
        description:
          "Every wrong code counts towards the user's lockout, whatever its length or shape. A code already used (an app code at or before the last accepted one) is refused with code_already_used and counts too. A sign-in waiting for an SMS or email code ends at its 5th wrong code (too_many_attempts): sign in again for a new code.",
        requestBody: { required: true, content: json(VerifyRequest, "input") },
        responses: {
          "200": {
            description: "Signed in",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Token" } } },
          },
          "400": error("invalid_request"),
          "401": error("invalid_code, code_already_used, too_many_attempts or challenge_expired"),
          "413": tooLarge,
          "415": notJson,
          "429": error("locked: the second step is locked until locked_until; Retry-After says for how long."),
          "503": unavailable,
        },
      },
    },
    "/me": {
      get: {
        summary: "Who the token speaks for (scope read)",
        security: [{ bearer: [] }],
        responses: {
          "200": {
            description: "The user",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Me" } } },
          },
          "401": error("unauthorized"),
          "403": error("two_factor_enrollment_required or insufficient_scope"),
          "503": unavailable,
        },
      },
    },
    "/account/users": {
      get: {
        summary: "The account's users and their 2FA status (admins, scope admin)",
        security: [{ bearer: [] }],
        responses: {
          "200": {
            description: "Users",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Users" } } },
          },
          "401": error("unauthorized"),
          "403": error("forbidden, two_factor_enrollment_required or insufficient_scope"),
          "503": unavailable,
        },
      },
    },
  },
};

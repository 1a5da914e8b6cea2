import { apiJson } from "@/lib/api";

const error = { $ref: "#/components/responses/Error" };
const person = { id: { type: "string" }, email: { type: "string" }, name: { type: "string" }, role: { enum: ["OWNER", "ADMIN", "MEMBER"] } };

// The API's description (SPEC §10), served as OpenAPI 3.1.
const document = {
  openapi: "3.1.0",
  info: { title: "StrongSign API", version: "1", description: "Sign in, with the second factor, and read who you are and, for admins, the 2FA status of your account's users. Errors are {\"error\":{\"code\",\"message\"}}." },
  servers: [{ url: "/api/v1" }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A personal access token (ssp_…) from My Profile, or the token API sign-in returns." } },
    schemas: {
      Error: { type: "object", required: ["error"], properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } } } },
      Token: { type: "object", required: ["status", "token"], properties: { status: { const: "ok" }, token: { type: "string" } } },
      Challenge: {
        type: "object",
        required: ["status", "challenge", "methods"],
        properties: {
          status: { const: "two_factor_required" },
          challenge: { type: "string", description: "Valid 10 minutes, for one completed sign-in." },
          methods: { type: "array", items: { enum: ["app", "sms", "email", "recovery"] } },
          code_sent_by: { enum: ["sms", "email"], description: "Where the code went, for SMS and email methods." },
          code_fallback: {
            enum: ["sms_failed", "sms_limit"],
            description: "Why an SMS user's code went by email: the text could not be sent, or the hourly cap on texts (per user or per account) was reached.",
          },
          next_code_at: { type: "string", format: "date-time", description: "No code was sent: the hourly cap on emailed sign-in codes was reached. Another can be sent from this time; a recovery code works meanwhile." },
          locked_until: { type: "string", format: "date-time", description: "The second step is locked after too many failed attempts until this time (no code was sent); an admin can unlock sooner." },
        },
      },
      Me: {
        type: "object",
        properties: {
          ...person,
          account: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
          two_factor: { type: "object", properties: { method: { enum: ["app", "sms", "email", null] }, exempt: { type: "boolean" } } },
          auth: { type: "object", properties: { via: { enum: ["token", "session"] }, scopes: { type: "array", items: { enum: ["read", "write", "admin"] } } } },
        },
      },
      User: {
        type: "object",
        properties: {
          ...person,
          two_factor: { enum: ["app", "sms", "email", "none", "exempt"] },
          compliant: { type: "boolean" },
          locked: { type: "boolean" },
          disabled: { type: "boolean" },
          last_sign_in_at: { type: ["string", "null"], format: "date-time" },
        },
      },
    },
    responses: { Error: { description: "An error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } },
  },
  paths: {
    "/auth/sign-in": {
      post: {
        summary: "Password step",
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["email", "password"], properties: { email: { type: "string" }, password: { type: "string" } } } } } },
        responses: {
          "200": { description: "Signed in, or the second factor is needed", content: { "application/json": { schema: { oneOf: [{ $ref: "#/components/schemas/Token" }, { $ref: "#/components/schemas/Challenge" }] } } } },
          "400": error,
          "401": error,
          "403": error,
          "415": { ...error, description: "The body is not sent as application/json (code unsupported_media_type)." },
          "429": error,
          "502": error,
        },
      },
    },
    "/auth/verify-2fa": {
      post: {
        summary: "Second step: an app code, an SMS or email code, or a recovery code",
        requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["challenge", "code"], properties: { challenge: { type: "string" }, code: { type: "string" } } } } } },
        description: "Every wrong code counts towards the user's lockout, whatever its length or shape. A code already used (an app code at or before the last accepted one) is refused with code_already_used and counts too.",
        responses: {
          "200": { description: "Signed in", content: { "application/json": { schema: { $ref: "#/components/schemas/Token" } } } },
          "400": error,
          "401": { ...error, description: "invalid_code, code_already_used or challenge_expired" },
          "415": { ...error, description: "The body is not sent as application/json (code unsupported_media_type)." },
          "429": { ...error, description: "locked: the second step is locked; Retry-After says for how long." },
        },
      },
    },
    "/me": {
      get: {
        summary: "Who the token speaks for (scope read)",
        security: [{ bearer: [] }],
        responses: { "200": { description: "The user", content: { "application/json": { schema: { $ref: "#/components/schemas/Me" } } } }, "401": error, "403": error },
      },
    },
    "/account/users": {
      get: {
        summary: "The account's users and their 2FA status (admins, scope admin)",
        security: [{ bearer: [] }],
        responses: {
          "200": { description: "Users", content: { "application/json": { schema: { type: "object", properties: { users: { type: "array", items: { $ref: "#/components/schemas/User" } } } } } } },
          "401": error,
          "403": error,
        },
      },
    },
  },
};

export function GET() {
  return apiJson(document);
}

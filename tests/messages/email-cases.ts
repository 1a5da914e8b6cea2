import {
  BROWSER_TRUST_LINK_TTL_MS,
  DELIVERED_CODE_SETUP_TTL_MS,
  EMAIL_CHANGE_TTL_MS,
  LOGIN_CHALLENGE_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  SECOND_FACTOR_LOCKOUT_MS,
} from "@/lib/config";
import { formatDateTime } from "@/lib/format/user-agent";
import * as emails from "@/lib/messages/emails";
import { env } from "@/lib/platform/env";

// The messages tests/messages/emails.test.ts checks, one or more of each, apart so that
// the test reads as what it asserts.

const { APP_URL } = env();
const when = new Date("2030-01-02T03:04:00Z");
const { formatDuration } = emails;

// Every template, with the facts a reader needs from it: each must be in the HTML and in
// the plain-text alternative, so that neither version leaves something out. The codes,
// which a text message carries too, come first (see `texted`).
export const cases: [string, emails.EmailContent, string[]][] = [
  [
    "signInCode",
    emails.signInCode({ code: "482913" }),
    ["482913", `expires in ${formatDuration(LOGIN_CHALLENGE_TTL_MS)}`, "change your password"],
  ],
  [
    "verificationCode",
    emails.verificationCode({ code: "130572" }),
    ["130572", `expires in ${formatDuration(DELIVERED_CODE_SETUP_TTL_MS)}`],
  ],
  [
    "passwordReset",
    emails.passwordReset({ name: "Ada", token: "reset-token-1" }),
    [
      "Hello Ada",
      `${APP_URL}/reset-password/reset-token-1`,
      `works once, for ${formatDuration(PASSWORD_RESET_TTL_MS)}`,
      "Two-factor authentication stays on",
    ],
  ],
  [
    "passwordChanged",
    emails.passwordChanged({ name: "Ada", ip: "203.0.113.9" }),
    ["Hello Ada", "was reset (IP 203.0.113.9)", "every session was signed out", `${APP_URL}/login`],
  ],
  [
    "browserTrustLink",
    emails.browserTrustLink({ name: "Ada", token: "trust-token-1" }),
    ["Hello Ada", `${APP_URL}/login/trust/trust-token-1`, `for ${formatDuration(BROWSER_TRUST_LINK_TTL_MS)}`],
  ],
  [
    "secondFactorLocked",
    emails.secondFactorLocked({ name: "Ada", threshold: 7, ip: "203.0.113.9" }),
    [
      `locked for ${formatDuration(SECOND_FACTOR_LOCKOUT_MS)} after 7 failed attempts`,
      "IP 203.0.113.9",
      `${APP_URL}/profile`,
    ],
  ],
  [
    "recoveryCodeUsed",
    emails.recoveryCodeUsed({ name: "Ada", ip: "203.0.113.9", remaining: 1 }),
    ["IP 203.0.113.9", "You have 1 recovery code left.", "generate new codes", `${APP_URL}/profile`],
  ],
  [
    "twoFactorDisabled",
    emails.twoFactorDisabled({ name: "Ada", ip: "203.0.113.9" }),
    ["turned off", "IP 203.0.113.9", "recovery codes no longer work", `${APP_URL}/profile`],
  ],
  [
    "methodRemoved",
    emails.methodRemoved({ name: "Ada", method: "Text message", ip: "203.0.113.9" }),
    ["Text message was removed", "IP 203.0.113.9", "Your other methods still work", `${APP_URL}/profile`],
  ],
  [
    "passkeyAdded",
    emails.passkeyAdded({ name: "Ada", passkeyName: "Work laptop", ip: "203.0.113.9" }),
    ['passkey named "Work laptop" was added', "IP 203.0.113.9", "remove the passkey", `${APP_URL}/profile`],
  ],
  [
    "passkeyRemoved",
    emails.passkeyRemoved({ name: "Ada", passkeyName: "Old phone", ip: "203.0.113.9" }),
    ['passkey named "Old phone" was removed', "IP 203.0.113.9", `${APP_URL}/profile`],
  ],
  [
    "authenticatorEnabled",
    emails.authenticatorEnabled({ name: "Ada", change: "replaced" }),
    ["A new authenticator app was set up", "other sessions were signed out", `${APP_URL}/profile`],
  ],
  [
    "deliveredMethodEnabled",
    emails.deliveredMethodEnabled({ name: "Ada", method: "sms", destination: "+447700900123", change: "first" }),
    ["turned on", "by text message to +44 •••• •••123", `${APP_URL}/profile`],
  ],
  [
    "accessTokenCreated",
    emails.accessTokenCreated({ name: "Ada", tokenName: "CI deploy", scopes: ["read", "write"], ip: "203.0.113.9" }),
    ['named "CI deploy"', "scopes read, write", "IP 203.0.113.9", `${APP_URL}/profile#tokens`],
  ],
  [
    "accessTokensRevoked",
    emails.accessTokensRevoked({
      name: "Ada",
      what: "Your password was reset",
      tokens: [{ name: "CI deploy", createdAt: when }],
    }),
    ["Your password was reset", `"CI deploy", created ${formatDateTime(when)}`, `${APP_URL}/profile#tokens`],
  ],
  [
    "twoFactorRequired",
    emails.twoFactorRequired({ name: "Ada", accountName: "Acme", deadline: when }),
    ["Acme now requires two-factor authentication", `before ${formatDateTime(when)}`, `${APP_URL}/profile`],
  ],
  [
    "twoFactorRequired of someone invited",
    emails.twoFactorRequired({ name: "Ada", accountName: "Acme", deadline: when, daysAfterJoining: 7 }),
    ["Acme now requires two-factor authentication", "You have 7 days from the day you join to set it up"],
  ],
  [
    "twoFactorReset",
    emails.twoFactorReset({ name: "Ada", accountName: "Acme" }),
    ["An administrator of Acme reset two-factor authentication", `${APP_URL}/profile`],
  ],
  [
    "twoFactorSetByAdmin",
    emails.twoFactorSetByAdmin({ name: "Ada", accountName: "Acme", method: "sms", phone: "+447700900123" }),
    [
      "An administrator of Acme set up two-factor authentication",
      "texted to +44 •••• •••123",
      `${APP_URL}/profile/two-factor/recovery-codes`,
    ],
  ],
  [
    "confirmEmailChange",
    emails.confirmEmailChange({ name: "Ada", oldEmail: "ada@old.test", newEmail: "ada@new.test", token: "change-1" }),
    [
      "from ada@old.test to ada@new.test",
      `${APP_URL}/confirm-email/change-1`,
      `works once, for ${formatDuration(EMAIL_CHANGE_TTL_MS)}`,
    ],
  ],
  [
    "emailChanged",
    emails.emailChanged({
      name: "Ada",
      oldEmail: "ada@old.test",
      newEmail: "ada@new.test",
      at: when,
      ip: "198.51.100.9",
      admin: null,
      to: "old",
    }),
    [
      "You changed",
      "from ada@old.test to ada@new.test",
      formatDateTime(when),
      "IP 198.51.100.9",
      "tell your administrator at once",
    ],
  ],
  [
    "newSignIn",
    emails.newSignIn({ name: "Ada", at: when, ip: "198.51.100.4", device: "Firefox on macOS", api: false }),
    ["Hello Ada", "Firefox on macOS, IP 198.51.100.4", formatDateTime(when), "change your password at once"],
  ],
  [
    "invitation",
    emails.invitation({
      name: "Ada",
      inviterName: "Grace",
      accountName: "Acme",
      token: "invite-1",
      expiresAt: when,
      twoFactor: null,
    }),
    ["Grace invited you to Acme", `${APP_URL}/invite/invite-1`, `until ${formatDateTime(when)}`],
  ],
  [
    "invitation with 2FA required",
    emails.invitation({
      name: "Ada",
      inviterName: "Grace",
      accountName: "Acme",
      token: "invite-2",
      expiresAt: when,
      twoFactor: { graceDays: 7, methods: ["passkey", "totp", "sms", "email"], passkey: false },
    }),
    [
      "Acme requires two-factor authentication",
      "one of these: a passkey or security key; a code from an authenticator app; a code by text message; a code by email.",
      "You have 7 days from the day you join to set it up",
    ],
  ],
  [
    "invitation with 2FA required at once",
    emails.invitation({
      name: "Ada",
      inviterName: "Grace",
      accountName: "Acme",
      token: "invite-3",
      expiresAt: when,
      twoFactor: { graceDays: 0, methods: ["totp"], passkey: false },
    }),
    [
      "Acme requires two-factor authentication",
      "each sign-in asks for a code from an authenticator app.",
      "asked to set it up when you first sign in",
    ],
  ],
];

// The first cases are the codes, whose text part is the written-out words of their SMS.
export const texted = 2;

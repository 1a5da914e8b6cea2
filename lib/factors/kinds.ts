import type { TwoFactorMethod } from "@/lib/generated/sqlite/enums";

// The one vocabulary for second factors: the kinds the database stores (the
// TwoFactorMethod enum), the names the API gives them, and the words pages use. A new
// factor is added here first. No server-only imports: client forms use the labels.

export type { TwoFactorMethod };

// Strongest first: the order pages offer them in.
export const TWO_FACTOR_METHODS = ["passkey", "totp", "sms", "email"] as const satisfies readonly TwoFactorMethod[];

// The methods whose code the server sends, as opposed to one the user's app computes.
export type DeliveredMethod = Extract<TwoFactorMethod, "sms" | "email">;
export const DELIVERED_METHODS = ["sms", "email"] as const satisfies readonly DeliveredMethod[];

export function isTwoFactorMethod(value: unknown): value is TwoFactorMethod {
  return typeof value === "string" && (TWO_FACTOR_METHODS as readonly string[]).includes(value);
}

export function isDeliveredMethod(value: unknown): value is DeliveredMethod {
  return typeof value === "string" && (DELIVERED_METHODS as readonly string[]).includes(value);
}

// How people and the API name the methods: an authenticator is "app".
export function methodName(method: TwoFactorMethod) {
  return method === "totp" ? ("app" as const) : method;
}

type MethodLabels = {
  // A heading or option: "Authenticator app".
  title: string;
  // A column cell: "App".
  short: string;
  // Inside a sentence: "switch to an authenticator app".
  noun: string;
  // What brings the code: "a code from a text message".
  source: string;
  // What stops working when it is turned off.
  codes: string;
  // What a recovery code stands in for: "if you can't use your phone".
  device: string;
  // Offered under another method's setup step.
  instead: string;
};

export const methodLabels: Record<TwoFactorMethod, MethodLabels> = {
  passkey: {
    title: "Passkey or security key",
    short: "Passkey",
    noun: "a passkey or security key",
    source: "a passkey or security key",
    codes: "passkeys",
    device: "your passkey or security key",
    instead: "Use a passkey or security key instead",
  },
  totp: {
    title: "Authenticator app",
    short: "App",
    noun: "an authenticator app",
    source: "an authenticator app on your phone",
    codes: "authenticator app",
    device: "your authenticator app",
    instead: "Use an authenticator app instead",
  },
  sms: {
    title: "SMS",
    short: "SMS",
    noun: "SMS",
    source: "a text message",
    codes: "SMS codes",
    device: "your phone",
    instead: "Get codes by text message instead",
  },
  email: {
    title: "Email",
    short: "Email",
    noun: "email",
    source: "an email",
    codes: "email codes",
    device: "your email",
    instead: "Get codes by email instead",
  },
};

// What a user row must carry to say which methods the user has: include this in the
// query (`include: { ...methodFacts }`) alongside the user's own columns.
export const methodFacts = {
  totpCredential: { select: { id: true } },
  _count: { select: { webAuthnCredentials: true } },
} as const;

export type MethodFacts = {
  smsEnabledAt: Date | null;
  emailCodesEnabledAt: Date | null;
  totpCredential: { id: string } | null;
  _count: { webAuthnCredentials: number };
};

// The codes we send that a user has (an admin's 2FA preference chooses between them):
// texts before email, null when neither.
export function deliveredMethodOf(
  user: Pick<MethodFacts, "smsEnabledAt" | "emailCodesEnabledAt">,
): DeliveredMethod | null {
  return user.smsEnabledAt ? "sms" : user.emailCodesEnabledAt ? "email" : null;
}

// The methods a user has, strongest first. An app is its credential, SMS and email codes
// their dates, passkeys their credentials.
export function methodsOf(user: MethodFacts): TwoFactorMethod[] {
  const has: Record<TwoFactorMethod, boolean> = {
    passkey: user._count.webAuthnCredentials > 0,
    totp: user.totpCredential !== null,
    sms: user.smsEnabledAt !== null,
    email: user.emailCodesEnabledAt !== null,
  };
  return TWO_FACTOR_METHODS.filter((method) => has[method]);
}

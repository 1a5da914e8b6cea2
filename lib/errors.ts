// Every code the domain returns for an expected failure ({ ok: false, error }). The UI
// maps them to words in app/messages.ts; the API sends some of them as they are, so a
// code, once published, keeps its spelling.
export const ErrorCode = {
  // Signing in and the second step
  invalidCredentials: "invalid_credentials",
  accountDisabled: "account_disabled",
  rateLimited: "rate_limited",
  challengeExpired: "challenge_expired",
  locked: "locked",
  invalidFormat: "invalid_format",
  invalidCode: "invalid_code",
  replayed: "replayed",
  // Passkeys and security keys: the browser's answer did not verify (forged, cloned, of
  // another user or site), or, for the API, the user's only second factor is a passkey.
  passkeyRejected: "passkey_rejected",
  passkeyOnly: "passkey_only",
  // A sign-in without a password by a credential id the server does not know (removed
  // here, or never registered): the browser may forget it (README "Passkeys").
  passkeyUnknown: "passkey_unknown",
  // A passkey that did not verify the person (no PIN or biometric) cannot sign in alone.
  userVerificationRequired: "user_verification_required",
  // Codes sent by SMS or email
  throttled: "throttled",
  tooManySends: "too_many_sends",
  tooManyAttempts: "too_many_attempts",
  deliveryFailed: "delivery_failed",
  smsLimit: "sms_limit",
  emailLimit: "email_limit",
  setupExpired: "setup_expired",
  // Passwords and one's own second factor
  wrongPassword: "wrong_password",
  weakPassword: "weak_password",
  notEnabled: "not_enabled",
  enforced: "enforced",
  lastMethod: "last_method",
  // First run
  setupClosed: "setup_closed",
  // Account administration
  forbidden: "forbidden",
  notFound: "not_found",
  invalidInput: "invalid_input",
  owner: "owner",
  self: "self",
  lastAdmin: "last_admin",
  methodNotAllowed: "method_not_allowed",
  passkeyNotAllowed: "passkey_not_allowed",
  invalidPhone: "invalid_phone",
  // Texts: a number of a country the account does not text, or of a kind never texted
  // (premium-rate, shared-cost, ...).
  smsCountryNotAllowed: "sms_country_not_allowed",
  phoneTypeNotAllowed: "phone_type_not_allowed",
  phoneRequired: "phone_required",
  emailTaken: "email_taken",
  invalidOrExpired: "invalid_or_expired",
  alreadyJoined: "already_joined",
  noInvitation: "no_invitation",
  sameEmail: "same_email",
  // Access tokens
  invalidName: "invalid_name",
  invalidScopes: "invalid_scopes",
  invalidExpiry: "invalid_expiry",
  adminScopeForMember: "admin_scope_for_member",
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

// Every email StrongSign sends, one file per message, each a function that takes what the
// message needs and returns its content (./shared.ts). Importers use this module.

export { accessTokenCreated } from "./access-token-created";
export { accessTokensRevoked } from "./access-tokens-revoked";
export { authenticatorEnabled } from "./authenticator-enabled";
export { browserTrustLink } from "./browser-trust-link";
export { confirmEmailChange } from "./confirm-email-change";
export { deliveredMethodEnabled } from "./delivered-method-enabled";
export { emailChanged } from "./email-changed";
export { type InvitationTwoFactor, invitation } from "./invitation";
export { methodRemoved } from "./method-removed";
export { newSignIn } from "./new-sign-in";
export { passkeyAdded } from "./passkey-added";
export { passkeyRemoved } from "./passkey-removed";
export { passwordChanged } from "./password-changed";
export { passwordReset } from "./password-reset";
export { recoveryCodeUsed } from "./recovery-code-used";
export { secondFactorLocked } from "./second-factor-locked";
export { type EmailContent, formatDuration, renderHtml, renderText } from "./shared";
export { signInCode } from "./sign-in-code";
export { twoFactorDisabled } from "./two-factor-disabled";
export { twoFactorRequired } from "./two-factor-required";
export { twoFactorReset } from "./two-factor-reset";
export { twoFactorSetByAdmin } from "./two-factor-set-by-admin";
export { verificationCode } from "./verification-code";

// Words of passkeys: adding and renaming them, and signing in with one.
import { twoFactorText } from "./two-factor";

export const passkeyText = {
  sudoAgain: "Confirm it's you again to continue.",
  addTookTooLong: "That took too long. Try adding the passkey again.",
  addNotVerified: "Your browser's answer could not be verified. Try adding the passkey again.",
  gone: "That passkey no longer exists.",
  renamed: "Passkey renamed.",
  added: "Your passkey was added.",
  alreadyRegistered: "This passkey or security key is already registered to your account.",
  notCreated: "The browser did not create a passkey (cancelled or timed out). Try again when you're ready.",
  cannotCreate: "This browser could not create a passkey. Try another browser or device, or a security key.",
  notUsed: "Your browser didn't use a passkey (cancelled or timed out). Try again.",
  notUsedSecondStep: "Your browser didn't use a passkey (cancelled or timed out). Try again, or try another way.",
  waiting: "Waiting for your passkey…",
};

// A first passkey turns two-factor authentication on.
export const FIRST_PASSKEY_ADDED_TEXT = `${passkeyText.added} ${twoFactorText.on}`;

// "Sign in with a passkey", without a password, refused.
export const passwordlessErrorText = {
  passkey_rejected: "That passkey could not sign you in. Try again, or sign in with your password.",
  passkey_unknown:
    "That passkey is not registered here (it may have been removed). Sign in with your password, or use another passkey.",
  user_verification_required:
    "This passkey didn't check it's you (no fingerprint, face or PIN), so it can't sign in on its own. Sign in with your password, then use it as your second step.",
  locked:
    "Too many failed attempts: two-factor sign-in is locked for your account for now. An administrator of your organisation can unlock you sooner.",
};

// The passkey upgrade's card on My Profile, offered after a sign-in with a password and a
// code (README "Passkeys").
export const passkeyUpgradeText = {
  title: "Sign in faster next time",
  description: "Add a passkey to sign in with your fingerprint, face or screen lock instead of a password and a code.",
  add: "Add a passkey",
  notNow: "Not now",
  notNowHint: "We'll ask again in 30 days. You can add a passkey any time under Two-factor authentication.",
};

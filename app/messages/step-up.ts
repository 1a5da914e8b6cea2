// Words of sudo mode: confirming it's you before a sensitive action (README "Sudo mode").
export const stepUpText = {
  title: "Confirm it's you",
  passwordTitle: "Confirm your password",
  intro: "This is a sensitive action: confirm it's you to continue. You won't be asked again for the next 15 minutes.",
  passwordIntro:
    "This is a sensitive action: enter your password to continue. You won't be asked again for the next 15 minutes.",
  setupIntro: "To protect your account, confirm it's you first.",
  setupPasswordIntro: "To protect your account, enter your current password first.",
  usePasskey: "Use a passkey",
  passkeyHint: "Your browser asks for your passkey or security key and its fingerprint, face or PIN.",
  appHeading: "Use your authenticator app",
  passwordHeading: "Use your password",
  or: "or",
  codeLabel: "Authentication code",
  verify: "Verify",
  passkeyNotUsed: "Your browser didn't use a passkey (cancelled or timed out). Try again, or use another way.",
  notEnabled: "That way isn't set up for your account any more. Reload the page.",
  noWay:
    "Your account has no passkey, authenticator app or password to confirm with. Ask an administrator of your organisation.",
  lockedPassword: "You can still confirm with your password.",
};

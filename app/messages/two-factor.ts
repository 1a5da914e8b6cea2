// Words of setting up, changing and turning off two-factor authentication in My Profile.
export const twoFactorText = {
  on: "Two-factor authentication is on.",
  notOn: "Two-factor authentication is not on.",
  required: "Your organisation requires two-factor authentication, so it can't be turned off.",
  noMethodAllowed: "Your organisation allows no two-factor method. Ask an administrator.",
  appSetupExpired: "This setup has expired. Start again to get a new QR code.",
  deliveredMethodMissing: "Choose SMS or email codes.",
  codeResent: "We sent a new code. Only the newest code works.",
  tooManySends: "That's the most codes we send for one setup. Start again.",
  setupExpired: "This setup has expired. Start again.",
  sentCodeInvalid: "That code is not valid. Enter the 6 digits we sent you.",
  tooManyWrongCodes: "Too many wrong codes. Start again to get a new one.",
  sentCodeExpired: "This code has expired. Start again to get a new one.",
};

// `tryAgain` says when: app/messages.ts tryAgainText.
export function setupCodesLimitText(tryAgain: string) {
  return `We've sent a lot of codes to you. ${tryAgain}`;
}

import type { ReactElement } from "react";
import {
  BROWSER_TRUST_LINK_TTL_MS,
  DELIVERED_CODE_SETUP_TTL_MS,
  EMAIL_CHANGE_TTL_MS,
  LOGIN_CHALLENGE_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  RECOVERY_CODES_LOW,
  SECOND_FACTOR_LOCKOUT_MS,
} from "@/lib/config";
import type { TwoFactorMethod } from "@/lib/factors/kinds";
import { formatDateTime } from "@/lib/format/user-agent";
import { maskPhone } from "@/lib/messages/phone";
import { env } from "@/lib/platform/env";
import { Action, Code, Layout, List, Paragraph } from "./layout";

// Every email StrongSign sends: one function per message, taking what the message needs
// and returning its subject, its markup (React, rendered to HTML by lib/messages/email.ts) and its
// plain-text alternative. The text is what the outbox keeps (and, for a code, what a
// text message carries), so it holds every fact, link and code the markup does.
// Durations come from lib/config.ts.

export type EmailContent = { subject: string; react: ReactElement; text: string };

// The HTML react-email makes of a template: what the resend client's `react:` option
// sends (it renders with the same @react-email/render). Imported when called, as the
// resend client does: Next.js refuses a static import of react-dom/server in server code.
export async function renderHtml(content: EmailContent): Promise<string> {
  const { render } = await import("@react-email/render");
  return render(content.react);
}

const url = (path: string) => `${env().APP_URL}${path}`;

const HOUR_MS = 60 * 60_000;
export function formatDuration(ms: number): string {
  if (ms % HOUR_MS === 0) return ms === HOUR_MS ? "one hour" : `${ms / HOUR_MS} hours`;
  const minutes = Math.round(ms / 60_000);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

// Sign-in and set-up codes travel by SMS too, so their text is one short line.
export function signInCode(props: { code: string }): EmailContent {
  const expires = `It expires in ${formatDuration(LOGIN_CHALLENGE_TTL_MS)}.`;
  const text = `Your StrongSign sign-in code is ${props.code}. ${expires} If you did not try to sign in, change your password.`;
  return {
    subject: "Your StrongSign sign-in code",
    react: (
      <Layout title="Your StrongSign sign-in code">
        <Paragraph>Your StrongSign sign-in code is:</Paragraph>
        <Code>{props.code}</Code>
        <Paragraph>{expires} If you did not try to sign in, change your password.</Paragraph>
      </Layout>
    ),
    text,
  };
}

export function verificationCode(props: { code: string }): EmailContent {
  const expires = `It expires in ${formatDuration(DELIVERED_CODE_SETUP_TTL_MS)}.`;
  const text = `Your StrongSign verification code is ${props.code}. ${expires} If you did not ask for it, change your password.`;
  return {
    subject: "Your StrongSign verification code",
    react: (
      <Layout title="Your StrongSign verification code">
        <Paragraph>Your StrongSign verification code is:</Paragraph>
        <Code>{props.code}</Code>
        <Paragraph>{expires} If you did not ask for it, change your password.</Paragraph>
      </Layout>
    ),
    text,
  };
}

export function passwordReset(props: { name: string; token: string }): EmailContent {
  const link = url(`/reset-password/${props.token}`);
  const lifetime = `The link works once, for ${formatDuration(PASSWORD_RESET_TTL_MS)}.`;
  const twoFactor = "Two-factor authentication stays on: you will still need your code to sign in.";
  const ignore = "If you didn't ask for this, ignore this email: your password stays as it is.";
  const asked = "Someone (we hope you) asked to reset the password of your StrongSign account.";
  return {
    subject: "Reset your StrongSign password",
    react: (
      <Layout title="Reset your StrongSign password" greeting={props.name}>
        <Paragraph>{asked} Choose a new password here:</Paragraph>
        <Action href={link}>Choose a new password</Action>
        <Paragraph>
          {lifetime} {twoFactor}
        </Paragraph>
        <Paragraph>{ignore}</Paragraph>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${asked} Choose a new password here:\n\n${link}\n\n${lifetime} ${twoFactor}\n\n${ignore}\n`,
  };
}

export function passwordChanged(props: { name: string; ip: string }): EmailContent {
  const what = `The password of your StrongSign account was reset (IP ${props.ip}), and every session was signed out.`;
  const link = url("/login");
  return {
    subject: "Your StrongSign password was changed",
    react: (
      <Layout title="Your StrongSign password was changed" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>If this wasn't you, tell your administrator at once.</Paragraph>
        <Action href={link}>Sign in</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${what}\n\nIf this wasn't you, tell your administrator at once.\n${link}\n`,
  };
}

export function browserTrustLink(props: { name: string; token: string }): EmailContent {
  const link = url(`/login/trust/${props.token}`);
  const paused =
    "Sign-in to your StrongSign account from unrecognised browsers is paused: someone has tried many wrong passwords for it. If you are trying to sign in, open this link in the browser you are using:";
  const lifetime = `It works once, for ${formatDuration(BROWSER_TRUST_LINK_TTL_MS)}, and only lets that browser try your password: you still need your password and your second factor.`;
  const notYou =
    "If it wasn't you, you need not do anything: your own browsers can still sign in. Consider a longer password.";
  return {
    subject: "Let a new browser sign in to StrongSign",
    react: (
      <Layout title="Let a new browser sign in to StrongSign" greeting={props.name}>
        <Paragraph>{paused}</Paragraph>
        <Action href={link}>Let this browser sign in</Action>
        <Paragraph>{lifetime}</Paragraph>
        <Paragraph>{notYou}</Paragraph>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${paused}\n\n${link}\n\n${lifetime}\n\n${notYou}\n`,
  };
}

export function secondFactorLocked(props: { name: string; threshold: number; ip: string }): EmailContent {
  const what = `Your sign-in was locked for ${formatDuration(SECOND_FACTOR_LOCKOUT_MS)} after ${props.threshold} failed attempts at the second step (a code from your authenticator app, a sign-in code or a recovery code). The last attempt came from IP ${props.ip}.`;
  const advice =
    "If this was you, wait and try again. If it wasn't, someone knows your password: change it at once and tell your administrator.";
  const link = url("/profile");
  return {
    subject: "Sign-in to your StrongSign account was locked",
    react: (
      <Layout title="Sign-in to your StrongSign account was locked" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Open My Profile</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${what}\n\n${advice}\n${link}\n`,
  };
}

export function recoveryCodeUsed(props: { name: string; ip: string; remaining: number }): EmailContent {
  const { remaining } = props;
  const used = `A recovery code was just used to sign in to your account (IP ${props.ip}). You have ${remaining} recovery code${remaining === 1 ? "" : "s"} left.`;
  const low =
    remaining <= RECOVERY_CODES_LOW
      ? " That is very few: generate new codes in My Profile now, so that you don't get locked out."
      : "";
  const advice =
    "If you lost your phone, set up your authenticator app again in My Profile. If this wasn't you, change your password at once and tell your administrator.";
  const link = url("/profile");
  return {
    subject: "A recovery code was used to sign in to StrongSign",
    react: (
      <Layout title="A recovery code was used to sign in to StrongSign" greeting={props.name}>
        <Paragraph>
          {used}
          {low}
        </Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Open My Profile</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${used}${low}\n\n${advice}\n${link}\n`,
  };
}

const NOT_YOU = "If this wasn't you, change your password at once and tell your administrator";

export function twoFactorDisabled(props: { name: string; ip: string }): EmailContent {
  return profileNotice({
    name: props.name,
    subject: "Two-factor authentication was turned off",
    what: `Two-factor authentication was turned off for your account (IP ${props.ip}). Signing in now needs only your password; your recovery codes no longer work, and your other sessions were signed out.`,
  });
}

// A completed sign-in from a browser (or API client) the account has not used before.
export function newSignIn(props: { name: string; at: Date; ip: string; device: string; api: boolean }): EmailContent {
  const subject = props.api ? "New API sign-in to your StrongSign account" : "New sign-in to your StrongSign account";
  const what = props.api
    ? `Your StrongSign account was signed in to through the API from an address it has not used before: ${props.device}, IP ${props.ip}, on ${formatDateTime(props.at)}.`
    : `Your StrongSign account was signed in to from a browser it has not used before: ${props.device}, IP ${props.ip}, on ${formatDateTime(props.at)}.`;
  const ok = "If this was you, there is nothing to do.";
  const notYou =
    "If it wasn't you, someone knows your password (and got past your second factor, if you have one): change your password at once, which signs out every other session, check your sessions and tokens in My Profile, and tell your administrator.";
  const link = url("/profile#sessions");
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{ok}</Paragraph>
        <Paragraph>{notYou}</Paragraph>
        <Action href={link}>Review your sessions</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${what}\n\n${ok}\n\n${notYou}\n${link}\n`,
  };
}

// Sent to the new address: following the link proves the mailbox is the user's.
export function confirmEmailChange(props: {
  name: string;
  oldEmail: string;
  newEmail: string;
  token: string;
}): EmailContent {
  const subject = "Confirm your new StrongSign email address";
  const asked = `Someone (we hope you) asked to change the email address of a StrongSign account from ${props.oldEmail} to ${props.newEmail}. To confirm, open this link:`;
  const lifetime = `The link works once, for ${formatDuration(EMAIL_CHANGE_TTL_MS)}. Until then the account keeps its old address.`;
  const ignore = "If you didn't ask for this, ignore this email: nothing changes.";
  const link = url(`/confirm-email/${props.token}`);
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{asked}</Paragraph>
        <Action href={link}>Confirm my new address</Action>
        <Paragraph>{lifetime}</Paragraph>
        <Paragraph>{ignore}</Paragraph>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${asked}\n\n${link}\n\n${lifetime}\n\n${ignore}\n`,
  };
}

// After a change: to the old address (the owner of the account may not be the one who
// made it) and, when an admin made it, to the new one. `admin`: the account's name when an
// administrator of it made the change, null when the user did.
export function emailChanged(props: {
  name: string;
  oldEmail: string;
  newEmail: string;
  at: Date;
  ip: string;
  admin: string | null;
  to: "old" | "new";
}): EmailContent {
  const subject = "The email address of your StrongSign account was changed";
  const who = props.admin ? `An administrator of ${props.admin} changed` : "You changed";
  const what = `${who} the email address of your StrongSign account from ${props.oldEmail} to ${props.newEmail} on ${formatDateTime(props.at)} (IP ${props.ip}).`;
  const next =
    props.to === "old"
      ? `From now on you sign in with ${props.newEmail}, and our emails go there, not here.`
      : "From now on you sign in with this address, and our emails come here.";
  const help = props.admin
    ? `If this is a mistake, ask an administrator of ${props.admin} to change it back.`
    : "If this wasn't you, someone who knows your password has taken over your account's email: tell your administrator at once, so they can change it back and reset your password. Password-reset links sent here no longer work.";
  const link = url("/login");
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{next}</Paragraph>
        <Paragraph>{help}</Paragraph>
        <Action href={link}>Sign in</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${what}\n\n${next}\n\n${help}\n${link}\n`,
  };
}

// One of several methods taken away (the last one is twoFactorDisabled).
export function methodRemoved(props: { name: string; method: string; ip: string }): EmailContent {
  return profileNotice({
    name: props.name,
    subject: "A sign-in method was removed from your StrongSign account",
    what: `${props.method} was removed from the ways you sign in to StrongSign (IP ${props.ip}). Your other methods still work.`,
  });
}

// Names are quoted as JSON, like token names, so that one holding quotes reads plainly.
export function passkeyAdded(props: { name: string; passkeyName: string; ip: string }): EmailContent {
  return profileNotice({
    name: props.name,
    subject: "A passkey was added to your StrongSign account",
    what: `A passkey named ${JSON.stringify(props.passkeyName)} was added to your StrongSign account (IP ${props.ip}). It can now sign in to your account, with or without your password.`,
    advice: `${NOT_YOU}, and remove the passkey in My Profile:`,
  });
}

export function passkeyRemoved(props: { name: string; passkeyName: string; ip: string }): EmailContent {
  return profileNotice({
    name: props.name,
    subject: "A passkey was removed from your StrongSign account",
    what: `The passkey named ${JSON.stringify(props.passkeyName)} was removed from your StrongSign account (IP ${props.ip}). It can no longer sign in to your account.`,
  });
}

// How a method came: the user's first (2FA turned on), one more next to others, or one
// replacing the same kind (a new phone for the app, a new number for texts).
type MethodChange = "first" | "added" | "replaced";

export function authenticatorEnabled(props: { name: string; change: MethodChange }): EmailContent {
  const subject = {
    first: "Two-factor authentication is on",
    added: "An authenticator app was added to your StrongSign account",
    replaced: "A new authenticator app was set up for StrongSign",
  }[props.change];
  const what = {
    first:
      "Two-factor authentication was turned on for your account. Signing in now asks for a code from your authenticator app.",
    added: "An authenticator app was added to your account as a way to sign in. Your other methods still work.",
    replaced:
      "A new authenticator app was set up for your account. The previous app and your old recovery codes no longer work.",
  }[props.change];
  return profileNotice({
    name: props.name,
    subject,
    what: `${what} Your other sessions were signed out.`,
    advice: `${NOT_YOU}:`,
  });
}

export function deliveredMethodEnabled(props: {
  name: string;
  method: "sms" | "email";
  destination: string;
  change: MethodChange;
}): EmailContent {
  const how = props.method === "sms" ? `by text message to ${maskPhone(props.destination)}` : "by email";
  const what = {
    first: `Two-factor authentication was turned on for your account. Your sign-in codes now come ${how}.`,
    added: `Sign-in codes ${how} were added to your account as a way to sign in. Your other methods still work.`,
    replaced: `Your sign-in codes now come ${how}.`,
  }[props.change];
  return profileNotice({
    name: props.name,
    subject: {
      first: "Two-factor authentication is on",
      added: "A sign-in method was added to your StrongSign account",
      replaced: "Your two-factor method changed",
    }[props.change],
    what: `${what} Your other sessions were signed out.`,
    advice: `${NOT_YOU}:`,
  });
}

// A change to how the user signs in: what happened, what to do if it was not them, and a
// link to My Profile, where it can be undone.
function profileNotice(props: { name: string; subject: string; what: string; advice?: string }): EmailContent {
  const link = url("/profile");
  const advice = props.advice ?? `${NOT_YOU}.`;
  return {
    subject: props.subject,
    react: (
      <Layout title={props.subject} greeting={props.name}>
        <Paragraph>{props.what}</Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Open My Profile</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${props.what}\n\n${advice}\n${link}\n`,
  };
}

export function accessTokenCreated(props: {
  name: string;
  tokenName: string;
  scopes: string[];
  ip: string;
}): EmailContent {
  const what = `A personal access token named "${props.tokenName}" with the scopes ${props.scopes.join(", ")} was created for your StrongSign account (IP ${props.ip}).`;
  const advice = "If this wasn't you, revoke it in My Profile and change your password:";
  const link = url("/profile#tokens");
  return {
    subject: "A new personal access token was created",
    react: (
      <Layout title="A new personal access token was created" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{advice}</Paragraph>
        <Action href={link}>Review your tokens</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${what}\n\n${advice}\n${link}\n`,
  };
}

// `what` happened is the start of a sentence: "Your password was reset". Names and
// creation times only: a token's value is never stored, let alone mailed. Names are
// quoted as JSON so that one holding a line break cannot forge lines in the text.
export function accessTokensRevoked(props: {
  name: string;
  what: string;
  tokens: { name: string; createdAt: Date }[];
}): EmailContent {
  const items = props.tokens.map(
    (token) => `${JSON.stringify(token.name)}, created ${formatDateTime(token.createdAt)}`,
  );
  const revoked = `${props.what}, and every personal access token of your StrongSign account was revoked. Scripts and integrations that use them are refused from now on:`;
  const remake = "If you still need one, make a new token in My Profile:";
  const unknown =
    "If you don't recognise one of these tokens, someone else may have had access to your account: tell your administrator.";
  const link = url("/profile#tokens");
  return {
    subject: "Your personal access tokens were revoked",
    react: (
      <Layout title="Your personal access tokens were revoked" greeting={props.name}>
        <Paragraph>{revoked}</Paragraph>
        <List items={items} />
        <Paragraph>{remake}</Paragraph>
        <Action href={link}>Make a new token</Action>
        <Paragraph>{unknown}</Paragraph>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${revoked}\n\n${items.map((item) => `- ${item}`).join("\n")}\n\n${remake}\n${link}\n\n${unknown}\n`,
  };
}

// `deadline` null: no grace period, so setting up is due at the next sign-in.
// `passkey`: what is required of this person is a passkey or security key (SPEC §13).
// `daysAfterJoining`: for someone invited who has not joined yet, whose grace period
// starts the day they join (lib/account/policy.ts), not on the account's date.
export function twoFactorRequired(props: {
  name: string;
  accountName: string;
  deadline: Date | null;
  passkey?: boolean;
  daysAfterJoining?: number;
}): EmailContent {
  const subject = props.passkey
    ? `${props.accountName} now requires a passkey or security key`
    : `${props.accountName} now requires two-factor authentication`;
  const required = props.passkey
    ? `${props.accountName} now requires you to sign in with a passkey or security key: unlike codes, it can't be phished.`
    : `${props.accountName} now requires two-factor authentication for everyone who signs in.`;
  const when =
    props.daysAfterJoining !== undefined
      ? graceAfterJoiningText(props.daysAfterJoining)
      : props.deadline
        ? `Please set it up before ${formatDateTime(props.deadline)}. After that, signing in will lead only to the set-up page until you have done so.`
        : "You will be asked to set it up the next time you sign in.";
  const link = url("/profile");
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{required}</Paragraph>
        <Paragraph>{when}</Paragraph>
        <Paragraph>Set it up in My Profile:</Paragraph>
        <Action href={link}>Set up two-factor authentication</Action>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${required}\n${when}\n\nSet it up in My Profile:\n${link}\n`,
  };
}

function graceAfterJoiningText(days: number) {
  return days === 0
    ? "You will be asked to set it up when you first sign in."
    : `You have ${days} day${days === 1 ? "" : "s"} from the day you join to set it up in My Profile; after that, signing in leads only to the set-up page.`;
}

export function twoFactorReset(props: { name: string; accountName: string }): EmailContent {
  const what = `An administrator of ${props.accountName} reset two-factor authentication for your account. Your second factor and your recovery codes no longer work, and you have been signed out everywhere.`;
  const next = "Sign in with your password and set up two-factor authentication again in My Profile:";
  const notYou = "If you did not ask for this, tell your administrator.";
  const link = url("/profile");
  return {
    subject: "Your two-factor authentication was reset",
    react: (
      <Layout title="Your two-factor authentication was reset" greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{next}</Paragraph>
        <Action href={link}>Set up two-factor authentication</Action>
        <Paragraph>{notYou}</Paragraph>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${what}\n\n${next}\n${link}\n\n${notYou}\n`,
  };
}

// An administrator chose how this user's sign-in codes come (null: took that choice away).
export function twoFactorSetByAdmin(props: {
  name: string;
  accountName: string;
  method: "sms" | "email" | null;
  phone: string | null;
}): EmailContent {
  const subject = props.method
    ? "An administrator set up your two-factor authentication"
    : "Your two-factor method was removed";
  const how =
    props.method === "sms"
      ? `texted to ${props.phone ? maskPhone(props.phone) : "your phone"}`
      : "emailed to this address";
  const what = props.method
    ? `An administrator of ${props.accountName} set up two-factor authentication for your account: after your password, signing in now asks for a code ${how}.`
    : `An administrator of ${props.accountName} removed the two-factor method they had set for your account: signing in no longer asks for a code.`;
  const next = props.method
    ? "Get your recovery codes in My Profile and keep them somewhere safe: each one signs you in once if the codes can't reach you."
    : "You can set up two-factor authentication yourself in My Profile.";
  const link = url(props.method ? "/profile/two-factor/recovery-codes" : "/profile");
  const notYou = "If you did not expect this, tell your administrator.";
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{what}</Paragraph>
        <Paragraph>{next}</Paragraph>
        <Action href={link}>{props.method ? "Get recovery codes" : "Open My Profile"}</Action>
        <Paragraph>{notYou}</Paragraph>
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${what}\n\n${next}\n${link}\n\n${notYou}\n`,
  };
}

// What an invitation says of the account's two-factor rule, null when there is none:
// the days a newcomer has from the day they join (0: at their first sign-in), and the
// methods the account allows them (only passkeys when it requires one of them).
export type InvitationTwoFactor = { graceDays: number; methods: TwoFactorMethod[]; passkey: boolean };

const methodInInvitation: Record<TwoFactorMethod, string> = {
  passkey: "a passkey or security key",
  totp: "a code from an authenticator app",
  sms: "a code by text message",
  email: "a code by email",
};

function twoFactorRuleText(accountName: string, rule: InvitationTwoFactor) {
  if (rule.passkey)
    return `${accountName} requires you to sign in with a passkey or security key: unlike codes, it can't be phished.`;
  const methods = rule.methods.map((method) => methodInInvitation[method]);
  const asks = methods.length === 1 ? methods[0] : `one of these: ${methods.join("; ")}`;
  return `${accountName} requires two-factor authentication: after your password, each sign-in asks for ${asks}.`;
}

export function invitation(props: {
  name: string;
  inviterName: string;
  accountName: string;
  token: string;
  expiresAt: Date;
  twoFactor: InvitationTwoFactor | null;
}): EmailContent {
  const subject = `You're invited to ${props.accountName}`;
  const invited = `${props.inviterName} invited you to ${props.accountName}. Choose a password to finish setting up your account:`;
  const lifetime = `The link works once, until ${formatDateTime(props.expiresAt)}.`;
  const rule = props.twoFactor;
  const twoFactor = rule
    ? `${twoFactorRuleText(props.accountName, rule)} ${graceAfterJoiningText(rule.graceDays)}`
    : null;
  const link = url(`/invite/${props.token}`);
  return {
    subject,
    react: (
      <Layout title={subject} greeting={props.name}>
        <Paragraph>{invited}</Paragraph>
        <Action href={link}>Choose a password</Action>
        <Paragraph>{lifetime}</Paragraph>
        {twoFactor ? <Paragraph>{twoFactor}</Paragraph> : null}
      </Layout>
    ),
    text: `Hello ${props.name},\n\n${invited}\n${link}\n\n${lifetime}\n${twoFactor ? `\n${twoFactor}\n` : ""}`,
  };
}

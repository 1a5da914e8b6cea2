import { headers } from "next/headers";
import NextAuth, { type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { MAX_SESSION_DAYS } from "@/lib/config";
import { env } from "@/lib/platform/env";
import { logger } from "@/lib/platform/logger";
import { requestInfoFrom } from "@/lib/platform/request-info";
import { requestSessions } from "@/lib/sessions/request-cache";
import { recordSignOut, revokeSessionByToken, validateSessionToken } from "@/lib/sessions/sessions";
import { rememberDevice, thisBrowser } from "@/lib/sign-in/device-cookie";
import { takeSignIn } from "@/lib/sign-in/passed-sign-in";
import { completeSignIn } from "@/lib/sign-in/password-step";
import { setRememberCookie } from "@/lib/sign-in/remember-cookie";

declare module "next-auth" {
  interface Session {
    sessionId: string;
    user: { id: string } & DefaultSession["user"];
  }
  interface User {
    sessionToken?: string;
  }
}

// Auth.js runs the cookie and the sign-in/sign-out flows; the sessions themselves are rows
// in our database (docs/security-model.md, "Sessions and sudo mode"). Its Credentials
// provider only works with the "jwt" strategy, so the "JWT" codec is replaced: the cookie
// carries an opaque random token, decoding it is a lookup of the token's hash, and a
// deleted row is a signed-out browser on its very next request. See README, "Architecture".
export const { auth, signIn, signOut } = NextAuth(() => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: MAX_SESSION_DAYS * 24 * 60 * 60 },
  pages: { signIn: "/login", error: "/login" },
  // A revoked or expired session is routine, not an error worth a log line; anything
  // else is logged by name and message only, never with the request's data.
  logger: {
    error(error) {
      // Auth.js errors carry their kind in `type`; class names do not survive minification.
      const type = "type" in error && typeof error.type === "string" ? error.type : error.name;
      if (type === "JWTSessionError") return;
      logger.error({ event: "auth_error", type, error: error.message }, "auth: sign-in flow failed");
    },
    warn() {},
    debug() {},
  },
  providers: [
    Credentials({
      // The only credential is a completed login challenge, which the password step
      // and the second step produce server-side; it is burned here, once.
      credentials: { challenge: {} },
      async authorize(credentials, request) {
        const challengeToken = typeof credentials?.challenge === "string" ? credentials.challenge : "";
        if (!challengeToken) return null;
        // The second step has usually made the session already (lib/sign-in/passed-sign-in.ts).
        const result =
          (await takeSignIn(challengeToken)) ??
          (await completeSignIn({
            challengeToken,
            request: requestInfoFrom(request.headers),
            client: await thisBrowser(),
          }));
        if (!result) return null;
        // From now on this browser's wrong passwords count against itself alone (lib/sign-in/known-device.ts).
        if (result.deviceToken) await rememberDevice(result.userId, result.deviceToken);
        if (result.remember) await setRememberCookie(result.userId, result.remember);
        return { id: result.userId, sessionToken: result.sessionToken };
      },
    }),
  ],
  jwt: {
    async encode({ token }) {
      return typeof token?.sessionToken === "string" ? token.sessionToken : "";
    },
    async decode({ token }) {
      if (!token) return null;
      const found = await validateSessionToken(token);
      if (!found) return null;
      (await requestSessions()).set(found.id, found);
      return {
        sub: found.user.id,
        sessionToken: token,
        sessionId: found.id,
        name: found.user.name,
        email: found.user.email,
      };
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user?.sessionToken) return { sub: user.id, sessionToken: user.sessionToken };
      return token;
    },
    session({ session, token }) {
      session.user.id = token.sub as string;
      session.sessionId = token.sessionId as string;
      return session;
    },
  },
  events: {
    // Auth.js has just decoded the cookie (one session read, left in requestSessions()):
    // the sign-out is audited from that row, then the row is deleted.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (typeof token?.sessionToken !== "string") return;
      const session = typeof token.sessionId === "string" ? (await requestSessions()).get(token.sessionId) : undefined;
      if (session) await recordSignOut(session, requestInfoFrom(await headers()));
      await revokeSessionByToken(token.sessionToken);
    },
  },
}));

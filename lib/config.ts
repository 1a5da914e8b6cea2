// Limits and timings in one place, each named after where it comes from.

export const DAY_MS = 24 * 60 * 60_000;

// Password length (docs/security-model.md, "Sign-in"); the maximum bounds the cost of hashing
// hostile input.
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
// OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1 is the minimum;
// we use 19 MiB with t=3, which is stronger.
export const ARGON2_MEMORY_KIB = 19_456;
export const ARGON2_TIME_COST = 3;
export const ARGON2_PARALLELISM = 1;

export const SESSION_TOKEN_BYTES = 32; // 256-bit opaque session tokens
export const DEFAULT_SESSION_DAYS = 90; // docs/security-model.md, "Sessions and sudo mode"
export const MAX_SESSION_DAYS = 365;
// Writing lastSeenAt on every request would turn each read into a write.
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
export const SUDO_WINDOW_MS = 15 * 60_000; // docs/security-model.md, "Sessions and sudo mode"
// The passkey upgrade (README "Passkeys"). A browser makes a passkey without a dialog
// (conditional create) only right after its password manager filled the password in, so
// the silent offer lasts this long after the sign-in, within its sudo mode. "Not now" on
// the card hides the offer for 30 days.
export const PASSKEY_UPGRADE_WINDOW_MS = 5 * 60_000;
export const PASSKEY_UPGRADE_SNOOZE_MS = 30 * DAY_MS;
// A browser whose session someone else ended is told why on the sign-in page for at most
// this long (and never past the session's own expiry).
export const ENDED_SESSION_NOTICE_MS = 30 * DAY_MS;

export const LOGIN_CHALLENGE_TTL_MS = 10 * 60_000; // docs/security-model.md, "Sign-in"
export const LOGIN_CHALLENGE_COOKIE = "login_challenge";
// "Sign in with a passkey": binds the ceremony to the browser that started it (5 minutes).
export const PASSKEY_SIGN_IN_COOKIE = "passkey_sign_in";

// Password step (docs/security-model.md, "Limits and locks"): backoff, never a hard lock.
// After the free attempts in a window, each further failure doubles the wait, up to the
// cap.
export const PASSWORD_RATE_WINDOW_MS = 15 * 60_000;
export const PASSWORD_FREE_ATTEMPTS_PER_EMAIL = 5;
export const PASSWORD_FREE_ATTEMPTS_PER_IP = 20;
export const PASSWORD_BACKOFF_BASE_MS = 2_000;
export const PASSWORD_BACKOFF_MAX_MS = 5 * 60_000;
// A browser that has signed in is recognised for this long by its device cookie (OWASP
// "device cookies"); Chrome caps cookie lifetimes at 400 days.
export const DEVICE_COOKIE_MAX_AGE_MS = 180 * DAY_MS;
// The most people whose device cookies one browser keeps (lib/sign-in/known-device.ts,
// deviceCookiesToDrop): one is about 90 bytes, and the server takes 16 KB of headers.
export const DEVICE_COOKIES_PER_BROWSER = 20;
// "Email me a link" when unrecognised browsers are paused for an address: the owner's
// bounded way in while a stranger keeps guessing. A link lives as long as the hourly cap
// on links, so a stranger who uses up the cap has still put a working link in the
// owner's inbox.
export const BROWSER_TRUST_LINK_TTL_MS = 60 * 60_000;
export const BROWSER_TRUST_LINKS_PER_EMAIL_PER_HOUR = 3;
export const BROWSER_TRUST_LINKS_PER_IP_PER_HOUR = 20;
// "Remember this browser" (README "Remember this browser"): the most days an account may let
// a browser skip the second step (the default, 30, is the Account column's).
export const REMEMBER_BROWSER_MAX_DAYS = 90;

// The second step's lock (docs/security-model.md, "Limits and locks"): the default threshold,
// which an account may change, and how long the lock lasts.
export const SECOND_FACTOR_LOCKOUT_THRESHOLD = 10;
export const SECOND_FACTOR_LOCKOUT_MS = 15 * 60_000;

export const TOTP_PERIOD_SECONDS = 30; // RFC 6238 §4.1 default, what every app uses
export const TOTP_DIGITS = 6;
export const TOTP_DRIFT_STEPS = 1; // RFC 6238 §5.2: one step either side
export const TOTP_SECRET_BYTES = 20; // 160 bits, RFC 4226 §4 recommendation
export const TOTP_SETUP_TTL_MS = 30 * 60_000;

// Recovery codes (docs/security-model.md, "Recovery codes").
export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_BYTES = 8; // 64 bits each
export const RECOVERY_CODES_LOW = 2; // urge regeneration at two or fewer

export const INVITATION_TTL_MS = 7 * DAY_MS;
// A new email address proves itself by a link sent to it, working once for an hour (as a
// password-reset link); each request mails an address the user typed, so they are capped.
export const EMAIL_CHANGE_TTL_MS = 60 * 60_000;
export const EMAIL_CHANGES_PER_USER_PER_HOUR = 5;

export const DELIVERED_CODE_MAX_WRONG = 5; // then the challenge is dead (docs/security-model.md, "SMS and email codes")
export const DELIVERED_CODE_RESEND_MS = 30_000; // "Resend code" throttle
export const DELIVERED_CODE_MAX_SENDS = 5;
export const DELIVERED_CODE_SETUP_TTL_MS = 10 * 60_000; // a code proves a phone or address for 10 minutes
export const SETUP_CODE_SENDS_PER_HOUR = 10; // per user, across setups: texts cost money
// SMS pumping (issue 8): texts cost money, so at most this many per user in an hour,
// across sign-ins and setups. The account's own hourly cap is Account.smsPerHour.
export const SMS_PER_USER_PER_HOUR = 5;
export const SMS_PER_ACCOUNT_PER_HOUR_MAX = 10_000; // what an admin may set
// Sign-in codes sent by email (including SMS fallbacks), per user in an hour: past it
// none is sent, so a leaked password cannot flood a mailbox.
export const SIGN_IN_CODE_EMAILS_PER_USER_PER_HOUR = 10;
export const PASSWORD_RESET_TTL_MS = 60 * 60_000; // "Forgot password?" links work for one hour
export const PASSWORD_RESETS_PER_EMAIL_PER_HOUR = 3;
export const PASSWORD_RESETS_PER_IP_PER_HOUR = 20;
// The periodic cleanup (lib/platform/cleanup.ts, started by scripts/serve.ts): every ten minutes,
// on every instance, rows that expired more than a day ago go (the day lets a link opened
// late still say that it expired, rather than that it is unknown). The delivery record
// of each email and text is kept 30 days, long enough to answer "did my code go out?".
export const CLEANUP_INTERVAL_MS = 10 * 60_000;
export const EXPIRED_ROWS_KEPT_MS = 1 * DAY_MS;
export const OUTBOUND_MESSAGE_RETENTION_MS = 30 * DAY_MS;
// Audit streaming (README "Audit streaming"): every instance looks for due deliveries
// every second; a receiver gets 10 s to answer; a worker's claim on a row lasts well past
// that, so a worker that died mid-send frees it within a minute. A failure is retried
// after AUDIT_STREAM_RETRY_BASE_MS (10 s unless set), doubling up to an hour, until
// delivered or the stream is disabled. Finished rows are kept 30 days for the page.
export const AUDIT_STREAM_POLL_MS = 1_000;
export const AUDIT_STREAM_TIMEOUT_MS = 10_000;
export const AUDIT_STREAM_LEASE_MS = 60_000;
export const AUDIT_STREAM_RETRY_MAX_MS = 60 * 60_000;
export const AUDIT_DELIVERY_RETENTION_MS = 30 * DAY_MS;
// The longest window any RateLimit row counts in (the hourly quotas; the password step's is 15 minutes).
export const RATE_LIMIT_LONGEST_WINDOW_MS = 60 * 60_000;
// Stopping (README "Stopping"): requests in flight get this long to finish after SIGTERM
// or SIGINT, then what is left is cut, so an orchestrator's kill deadline (30 s in
// Kubernetes) is never reached. /readyz (README "Health checks") waits this long for the
// database before it answers 503, well under a load balancer's usual probe timeout.
export const SHUTDOWN_GRACE_MS = 10_000;
export const READINESS_PROBE_TIMEOUT_MS = 2_000;

// Request bodies (README "Request bodies and overload"). scripts/serve.ts reads every body
// before Next.js does and refuses a larger one with 413: 1 MiB is Next.js's own limit for
// server actions (serverActions.bodySizeLimit), and the largest body the app is ever sent,
// a passkey registration, is a few kB. The API takes the same, so a code too long to be
// one is read, and counted as a wrong code, on the API as on the web.
export const REQUEST_BODY_MAX_BYTES = 1024 * 1024;
// How long an idle keep-alive connection stays open. Node's 5 s is shorter than clients and
// proxies keep theirs, and a request sent just as the server closes the connection is reset
// (ECONNRESET); 65 s outlasts the usual 60 s of load balancers.
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
// How deep the JSON React encodes a server action's arguments in may nest. React's decoder
// walks it recursively, so a few thousand levels exhaust the stack; the deepest the app
// sends, a passkey's answer, nests five.
export const ACTION_BODY_MAX_DEPTH = 32;
// Next.js refuses a server action called with more arguments than this with a 500.
export const ACTION_MAX_ARGUMENTS = 1000;

// Under load (README "Request bodies and overload"): a request that cannot get the database
// in time is answered 503 with Retry-After, never left waiting or failed with a 500.
// On SQLite every transaction takes turns on the one connection: one whose turn came later
// than maxWait gives up rather than run late (on PostgreSQL, maxWait and the pool's wait
// bound the wait for a connection). A transaction may then run for `timeout`, far longer
// than any of the app's take, before it is rolled back whole. Together a person gets an
// answer, or "try again", within about 10 s.
export const TRANSACTION_MAX_WAIT_MS = 5_000;
export const TRANSACTION_TIMEOUT_MS = 5_000;
// How long SQLite waits for a write lock held by another process (a migration, a backup,
// the sqlite3 shell). better-sqlite3 waits synchronously, so the whole instance stands
// still meanwhile: short, but longer than any of the app's own transactions.
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;
// How many compiled SQLite statements each connection keeps (lib/platform/sqlite-statements.ts):
// the app's queries come in a few hundred shapes.
export const SQLITE_KEPT_STATEMENTS = 500;
// PostgreSQL: the longest wait for a pooled connection and for a row or table lock.
// Unbounded by default, so without them a request behind a stuck transaction never ends.
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
export const POSTGRES_LOCK_TIMEOUT_MS = 5_000;
// What a 503 tells the client to wait, for a database that is down or too busy.
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules and the Prisma driver adapters stay outside the bundle.
  serverExternalPackages: [
    "@node-rs/argon2",
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
  ],
  // `npm test` builds into its own folder (NEXT_DIST_DIR=.next-test, scripts/test.mjs), so a
  // test run never rebuilds the .next that `npm start` is serving. scripts/start.ts and
  // scripts/serve.ts read the folder from here.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native modules and the Prisma driver adapters stay outside the bundle. So does
  // prom-client, so that the app counts into the one registry scripts/serve.ts answers
  // /metrics from (README "Metrics"); Next.js keeps pino outside on its own.
  serverExternalPackages: [
    "@node-rs/argon2",
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
    "prom-client",
  ],
  // `npm test` builds into its own folder (NEXT_DIST_DIR=.next-test, scripts/test.mjs), so a
  // test run never rebuilds the .next that `npm start` is serving. scripts/start.ts and
  // scripts/serve.ts read the folder from here.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm test` runs the TypeScript compiler itself over everything, the build's route
  // types included, right after its build (scripts/test.mjs): the build need not check
  // the same types a second time.
  typescript: { ignoreBuildErrors: process.env.NEXT_BUILD_SKIP_TYPECHECK === "1" },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;

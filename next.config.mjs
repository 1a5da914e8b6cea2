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
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;

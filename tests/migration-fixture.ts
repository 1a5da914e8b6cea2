import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/postgres/client";
import { PrismaClient } from "@/lib/generated/sqlite/client";
// @ts-expect-error plain ESM script without types
import { freshDatabase } from "../scripts/fresh-db.mjs";
// @ts-expect-error plain ESM script without types
import { migrate } from "../scripts/migrate.mjs";

function clientFor(url: string) {
  if (url.startsWith("file:")) return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: url.slice(5) }) });
  return new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as PrismaClient;
}

// A database of the suite's provider (TEST_DATABASE_URL) migrated up to `through`, the
// rows written as raw SQL (the generated client's models describe the schema after the
// migrations under test), then every later migration applied; `check` reads the result.
export async function upgradeWith(options: {
  name: string;
  through: string;
  rows: string[];
  check: (client: PrismaClient) => Promise<void>;
}) {
  const database = await freshDatabase({
    server: process.env.TEST_DATABASE_URL,
    name: options.name,
    through: options.through,
  });
  try {
    const before = clientFor(database.url);
    try {
      for (const statement of options.rows) await before.$executeRawUnsafe(statement);
    } finally {
      await before.$disconnect();
    }
    await migrate(database.url, { log: () => {} });
    const client = clientFor(database.url);
    try {
      await options.check(client);
    } finally {
      await client.$disconnect();
    }
  } finally {
    await database.drop();
  }
}

// Property: a kept SQLite statement is compiled once, runs with each caller's own values, and the least recently used goes first.
// @ts-expect-error better-sqlite3 ships no types (the app reaches it only through Prisma's adapter)
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { keepStatements } from "@/lib/platform/sqlite-statements";

// A real in-memory database, its prepare() counted, used the way Prisma's adapter uses it.
function countedDatabase(size: number) {
  const database = new Database(":memory:");
  database.exec('CREATE TABLE "T" ("id" INTEGER PRIMARY KEY, "name" TEXT)');
  const compiled: string[] = [];
  const prepare = database.prepare.bind(database);
  database.prepare = ((sql: string) => {
    compiled.push(sql);
    return prepare(sql);
  }) as typeof database.prepare;
  keepStatements(database, size);
  type Kept = {
    reader: boolean;
    run(): { changes: number };
    bind(values: unknown[]): Kept;
    columns(): { name: string }[];
    raw(): { all(): unknown[][] };
  };
  const statement = (sql: string) => database.prepare(sql) as unknown as Kept;
  return { database, compiled, statement };
}

describe("kept SQLite statements", () => {
  it("compile a statement once and run it with each caller's values", () => {
    const { compiled, statement } = countedDatabase(10);
    const insert = 'INSERT INTO "T" ("id", "name") VALUES (?, ?)';
    expect(statement(insert).bind([1, "one"]).run().changes).toBe(1);
    expect(statement(insert).bind([2, "two"]).run().changes).toBe(1);
    const select = 'SELECT "id", "name" FROM "T" WHERE "id" = ?';
    const first = statement(select).bind([1]);
    const second = statement(select).bind([2]);
    expect(first.reader).toBe(true);
    expect(first.columns().map((column) => column.name)).toEqual(["id", "name"]);
    expect(first.raw().all()).toEqual([[1, "one"]]);
    expect(second.raw().all()).toEqual([[2, "two"]]);
    expect(first.raw().all()).toEqual([[1, "one"]]);
    expect(compiled).toEqual([insert, select]);
  });

  it("run a statement without values (the adapter's BEGIN)", () => {
    const { database, statement } = countedDatabase(10);
    statement("BEGIN").run();
    expect(database.inTransaction).toBe(true);
    statement("COMMIT").run();
    expect(database.inTransaction).toBe(false);
  });

  it("keep the most recently used, up to the size", () => {
    const { compiled, statement } = countedDatabase(2);
    const byId = (n: number) => `SELECT ${n} AS "n" FROM "T" WHERE "id" = ?`;
    statement(byId(1)).bind([1]);
    statement(byId(2)).bind([1]);
    statement(byId(1)).bind([1]);
    statement(byId(3)).bind([1]);
    statement(byId(1)).bind([1]);
    statement(byId(2)).bind([1]);
    expect(compiled).toEqual([byId(1), byId(2), byId(3), byId(2)]);
  });
});

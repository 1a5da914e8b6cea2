// better-sqlite3 compiles a statement's SQL on every prepare(), and Prisma's SQLite adapter
// prepares each statement it runs afresh: 3.5 ms of CPU in every sign-in (README
// "Benchmark"). Prisma's SQL for a query of a given shape is the same text, its values
// bound to `?`, so the compiled statements are kept here, the `size` most recently used.
// The adapter binds its values with bind(), which better-sqlite3 allows once in a
// statement's life; so what prepare() hands it is the kept statement behind a small
// object that passes the values on at each run instead. It is exactly what the adapter
// calls (@prisma/adapter-better-sqlite3 6.19: prepare(sql).bind(values) then reader,
// run(), columns() or raw().all(), and prepare("BEGIN").run()).
type Statement = {
  reader: boolean;
  run(values: unknown[]): unknown;
  columns(): unknown[];
  raw(on: boolean): { all(values: unknown[]): unknown[] };
};
type SqliteDatabase = { prepare(sql: string): unknown };

function withValues(statement: Statement, values: unknown[]) {
  return {
    reader: statement.reader,
    bind: (bound: unknown[]) => withValues(statement, bound),
    run: () => statement.run(values),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(values) }),
  };
}

export function keepStatements(database: SqliteDatabase, size: number) {
  const prepare = database.prepare.bind(database);
  const kept = new Map<string, Statement>();
  const keeping = (sql: string) => {
    let statement = kept.get(sql);
    if (statement) kept.delete(sql);
    else {
      statement = prepare(sql) as Statement;
      if (kept.size >= size) kept.delete(kept.keys().next().value as string);
    }
    kept.set(sql, statement);
    return withValues(statement, []);
  };
  database.prepare = keeping;
}

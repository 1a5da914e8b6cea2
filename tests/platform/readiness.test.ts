// Property: /readyz says ready only when not stopping, the database answers and every checked-in migration is applied in order.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decideReadiness, expectedMigrations, readiness } from "@/lib/platform/readiness";

const root = path.resolve(import.meta.dirname, "../..");

// README "Health checks": what /readyz answers, decided from what it found.
describe("readiness", () => {
  const expected = ["20260101_init", "20260201_more"];

  it("is ready only when not stopping, the database answers and every migration is applied", () => {
    expect(decideReadiness(false, [...expected, "20250101_older_unknown"], expected)).toEqual({ ready: true });
    expect(decideReadiness(false, ["20260101_init"], expected)).toEqual({
      ready: false,
      reason: "migrations_pending",
    });
    expect(decideReadiness(false, [], expected)).toEqual({ ready: false, reason: "migrations_pending" });
    expect(decideReadiness(false, null, expected)).toEqual({ ready: false, reason: "database_unreachable" });
    // A stopping instance drains whatever else is true.
    expect(decideReadiness(true, expected, expected)).toEqual({ ready: false, reason: "stopping" });
    expect(decideReadiness(true, null, expected)).toEqual({ ready: false, reason: "stopping" });
  });

  it("expects the checked-in migrations of the database in use, in order", () => {
    for (const postgres of [false, true]) {
      const names = expectedMigrations(root, postgres);
      expect(names.length).toBeGreaterThan(5);
      expect(names).toEqual([...names].sort());
      expect(names[0]).toMatch(/^\d{14}_init$/);
    }
  });

  it("says ready for the test database, which global setup migrated", async () => {
    expect(await readiness(root)).toEqual({ ready: true });
  });
});

import { register } from "prom-client";
import "@/lib/platform/metrics";

// README "Metrics" as a test reads them: the registry is this test process's own, and a
// test file's tests run one at a time, so a difference is the test's own doing.

// A counter's value, or a histogram's count, summed over the series whose labels match.
export async function metricValue(name: string, labels: Record<string, string> = {}) {
  const metric = await register.getSingleMetric(name)!.get();
  const matching = metric.values.filter(
    (entry) =>
      (!("metricName" in entry) || entry.metricName === name || entry.metricName === `${name}_count`) &&
      Object.entries(labels).every(([key, wanted]) => entry.labels[key] === wanted),
  );
  return matching.reduce((sum, entry) => sum + entry.value, 0);
}

export async function metricDifference(name: string, labels: Record<string, string>, run: () => Promise<unknown>) {
  const before = await metricValue(name, labels);
  await run();
  return (await metricValue(name, labels)) - before;
}

// How many database statements `run` made: every statement Prisma logs (a transaction's
// BEGIN is not among them).
export function countStatements(run: () => Promise<unknown>) {
  return metricDifference("strongsign_db_query_duration_seconds", {}, run);
}

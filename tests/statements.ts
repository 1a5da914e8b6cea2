import { register } from "prom-client";
import "@/lib/platform/metrics";

// How many database statements `run` made, from README "Metrics"'s own counter (every
// statement Prisma logs; a transaction's BEGIN is not among them). The registry is this
// test process's own, and a test file's tests run one at a time.
export async function countStatements(run: () => Promise<unknown>) {
  const total = async () => {
    const metric = await register.getSingleMetric("strongsign_db_query_duration_seconds")!.get();
    return metric.values
      .filter((entry) => "metricName" in entry && entry.metricName === "strongsign_db_query_duration_seconds_count")
      .reduce((sum, entry) => sum + entry.value, 0);
  };
  const before = await total();
  await run();
  return (await total()) - before;
}

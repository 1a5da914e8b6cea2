import type { Instrumentation } from "next";
import { isOverloadError } from "@/lib/platform/overload";
import { noteOverloaded } from "@/lib/platform/request-outcome";

// Next.js calls this with whatever made a page, server action or route handler fail. A
// database that could not serve in time is noted for scripts/serve.ts, which then answers
// 503 with Retry-After instead of the 500 (README "Request bodies and overload").
export const onRequestError: Instrumentation.onRequestError = (error) => {
  if (isOverloadError(error)) noteOverloaded();
};

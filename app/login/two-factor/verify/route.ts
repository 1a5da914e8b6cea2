import { readForm } from "@/lib/platform/form-body";
import { verifyCodeStep } from "../outcome";

// The code form posts here when the page's script runs, and the script follows the answer:
// a full page load into the signed-in app, or the form again with its message. A server
// action that redirects would render My Profile into its own answer, through a request to
// this server (README "Benchmark"); without script the form still posts to
// verifySecondFactorAction. proxy.ts refuses a cross-site post before this runs.
export async function POST(request: Request) {
  const form = await readForm(request);
  if (form instanceof Response) return form;
  return Response.json(await verifyCodeStep(form));
}

import { openApiDocument } from "@/app/api/v1/openapi";
import { apiJson } from "@/lib/api/respond";

export function GET() {
  return apiJson(openApiDocument);
}

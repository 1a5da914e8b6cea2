// The routes a page's form posts to (app/sign-out, app/login/two-factor/verify) take what a
// browser's form or a script's FormData sends and nothing else: another type of body is
// refused with 415, a form that cannot be read with 400, each with a short message,
// before anything is changed (README "Request bodies and overload").
export async function readForm(request: Request): Promise<FormData | Response> {
  const type = request.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data")
    return refusal(415, "Send the form's fields as form data.");
  return (await request.formData().catch(() => null)) ?? refusal(400, "The form's data could not be read.");
}

function refusal(status: number, message: string) {
  return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

import { redirect } from "next/navigation";
import { isSetupOpen } from "@/lib/accounts";
import { getCurrentSession } from "@/lib/auth-guards";

export default async function Home() {
  if (await isSetupOpen()) redirect("/setup");
  redirect((await getCurrentSession()) ? "/profile" : "/login");
}

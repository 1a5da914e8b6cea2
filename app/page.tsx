import { redirect } from "next/navigation";
import { getCurrentSession } from "@/dal";
import { isSetupOpen } from "@/lib/account/first-run";

export default async function Home() {
  if (await isSetupOpen()) redirect("/setup");
  redirect((await getCurrentSession()) ? "/profile" : "/login");
}

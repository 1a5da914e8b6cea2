import Link from "next/link";
import { AuthCard } from "@/components/auth-card";

export default function NotFound() {
  return (
    <AuthCard title="Page not found" subtitle="The page you asked for does not exist.">
      <Link href="/" className="text-sm font-medium text-indigo-700 hover:underline">
        Go to StrongSign
      </Link>
    </AuthCard>
  );
}

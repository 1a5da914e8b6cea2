import { LocalTime } from "@/components/local-time";

// The user's passkeys as the admin sees them: each one's name, its provider (README
// "Passkeys") and when it was added and last used. Only the user renames or removes one.
export function PasskeyList({
  passkeys,
}: {
  passkeys: Array<{ id: string; name: string; provider: string; createdAt: Date; lastUsedAt: Date | null }>;
}) {
  if (passkeys.length === 0) return null;
  return (
    <div className="border-t border-slate-100 pt-4">
      <p className="text-sm font-medium text-slate-900">Passkeys and security keys</p>
      <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Their passkeys">
        {passkeys.map((passkey) => (
          <li key={passkey.id} className="px-3 py-2">
            <p className="break-words text-sm text-slate-900">{passkey.name}</p>
            <p className="text-xs text-slate-500">
              {passkey.provider} · Added <LocalTime at={passkey.createdAt} /> · Last used{" "}
              {passkey.lastUsedAt ? <LocalTime at={passkey.lastUsedAt} /> : "never"}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

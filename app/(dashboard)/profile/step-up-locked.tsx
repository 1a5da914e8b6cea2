import { LOCKED_HELP, LOCKED_TEXT } from "@/app/messages";
import { stepUpText } from "@/app/messages/step-up";
import { LocalTime } from "@/components/local-time";
import { Alert } from "@/components/ui";
import type { LockState } from "@/lib/sign-in/lockout";

// The second step's lock refuses passkeys and app codes here too (README "Sudo mode"):
// said before anyone tries, until when in the reader's own time, and whether the
// password still opens the way.
export function StepUpLocked({ lock, password }: { lock: Extract<LockState, { locked: true }>; password: boolean }) {
  return (
    <Alert tone="error">
      {LOCKED_TEXT.lead} <LocalTime at={lock.until} style="time" relative />. {LOCKED_TEXT.rule} {LOCKED_HELP}
      {lock.emailed ? ` ${LOCKED_TEXT.emailed}` : null}
      {password ? ` ${stepUpText.lockedPassword}` : null}
    </Alert>
  );
}

import { Field } from "@/components/ui";

// A new password and its confirmation. `label` names the first field ("Password" or "New
// password"); the second is "Confirm" and the same words. Errors are keyed as
// newPasswordSchema (app/new-password.ts) reports them, whatever `name` the field posts as.
export function NewPasswordFields({
  label,
  name = "password",
  hint,
  errors,
  autoFocus,
}: {
  label: "Password" | "New password";
  name?: "password" | "newPassword";
  hint: string;
  errors: Record<string, string>;
  autoFocus?: boolean;
}) {
  return (
    <>
      <Field
        label={label}
        name={name}
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        error={errors.password}
        hint={hint}
      />
      <Field
        label={`Confirm ${label.toLowerCase()}`}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirmPassword}
      />
    </>
  );
}

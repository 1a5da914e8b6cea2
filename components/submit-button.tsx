"use client";

import { useFormStatus } from "react-dom";
import { Button, type ButtonVariant } from "./ui";

export function SubmitButton({
  children,
  pendingText,
  variant = "primary",
  className = "",
  disabled = false,
  pending: pendingElsewhere = false,
}: {
  children: React.ReactNode;
  pendingText?: string;
  variant?: ButtonVariant;
  className?: string;
  disabled?: boolean;
  // For a form whose script posts it itself, which useFormStatus does not see.
  pending?: boolean;
}) {
  const pending = useFormStatus().pending || pendingElsewhere;
  return (
    <Button type="submit" variant={variant} disabled={pending || disabled} className={className}>
      {pending ? (pendingText ?? "Working…") : children}
    </Button>
  );
}

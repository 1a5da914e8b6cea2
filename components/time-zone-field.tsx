"use client";

import { useEffect, useState } from "react";

// Sends the browser's time zone with a form, so the server can read the dates in it as
// the person meant them, and says which zone that is.
export function TimeZoneField({ name = "tz", initial }: { name?: string; initial?: string }) {
  const [zone, setZone] = useState(initial ?? "UTC");
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }, []);
  return (
    <>
      <input type="hidden" name={name} value={zone} />
      <p className="w-full text-xs text-slate-500">Days are read in your time zone ({zone}).</p>
    </>
  );
}

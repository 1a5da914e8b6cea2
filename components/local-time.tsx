"use client";

import { useEffect, useState } from "react";

// A time in the reader's own time zone, which only the browser knows. The server renders
// the UTC text, which stays when JavaScript is off; the browser then swaps in local time.
export function LocalTime({ iso, utcText }: { iso: string; utcText: string }) {
  const [text, setText] = useState(utcText);
  useEffect(() => {
    setText(new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }));
  }, [iso]);
  return <time dateTime={iso}>{text}</time>;
}

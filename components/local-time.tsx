"use client";

import { useEffect, useState } from "react";

type Style = "datetime" | "time";

function fieldsOf(style: Style, seconds: boolean): Intl.DateTimeFormatOptions {
  const time: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };
  if (seconds) time.second = "2-digit";
  return style === "time" ? time : { day: "numeric", month: "short", year: "numeric", ...time };
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

// "in 12 minutes", "2 days ago": the largest unit that fits, rounded.
function relativeText(date: Date, now: number) {
  const diff = date.getTime() - now;
  const [unit, size] = UNITS.find(([, ms]) => Math.abs(diff) >= ms) ?? UNITS[UNITS.length - 1];
  return new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }).format(Math.round(diff / size), unit);
}

// A time in the reader's own time zone and language, which only the browser knows. The
// server (and a browser without JavaScript) shows it in UTC, saying so; after hydration the
// browser swaps in its local time, with the zone's name for a full date. `relative` adds
// how far away it is ("in 12 minutes"), for deadlines and locks.
export function LocalTime({
  at,
  style = "datetime",
  seconds = false,
  relative = false,
}: {
  at: Date | string;
  style?: Style;
  seconds?: boolean;
  relative?: boolean;
}) {
  const date = new Date(at);
  const iso = date.toISOString();
  const [text, setText] = useState(
    () => `${new Intl.DateTimeFormat("en-GB", { ...fieldsOf(style, seconds), timeZone: "UTC" }).format(date)} UTC`,
  );
  useEffect(() => {
    const local = new Date(iso);
    const zone = style === "datetime" ? { timeZoneName: "short" as const } : {};
    const formatted = new Intl.DateTimeFormat(undefined, { ...fieldsOf(style, seconds), ...zone }).format(local);
    setText(relative ? `${formatted} (${relativeText(local, Date.now())})` : formatted);
  }, [iso, style, seconds, relative]);
  return <time dateTime={iso}>{text}</time>;
}

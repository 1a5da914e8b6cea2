"use client";

import { QRCodeSVG } from "qrcode.react";

export function QrCode({ value, label }: { value: string; label: string }) {
  return (
    <div className="inline-block rounded-lg border border-slate-200 bg-white p-3">
      <QRCodeSVG value={value} size={192} level="M" marginSize={2} title={label} role="img" aria-label={label} />
    </div>
  );
}

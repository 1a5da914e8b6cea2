// CSV as spreadsheets read it (RFC 4180): every cell quoted, quotes doubled, rows ending
// in CRLF. A cell a spreadsheet would run as a formula (it starts with = + - @, or a tab
// or carriage return that some strip first) gets a leading apostrophe, as OWASP advises
// against CSV injection: audit cells hold what strangers typed, such as user agents.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null | undefined) {
  const text = value === null || value === undefined ? "" : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function csvRow(cells: (string | number | boolean | null | undefined)[]) {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

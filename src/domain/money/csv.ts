/**
 * CSV as the exports write it (RFC 4180): cells separated by commas, records by CRLF, a
 * cell quoted ("…", its quotes doubled) when it holds a comma, a quote, a line break or
 * leading/trailing spaces.
 *
 * Text that came from people (names, emails, keys) is neutralised against spreadsheet
 * formula injection: a cell starting with =, +, -, @, a tab or a carriage return gets a
 * single quote (') in front, so a spreadsheet shows it as text instead of running it.
 * Amounts and counts the export formats itself (`-12.50`) are numbers and are written as
 * they are.
 */

/** A cell: text from people (neutralised), or a number-like value written as is. */
export type CsvCell = string | { number: string | number } | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export const csvNumber = (value: string | number): CsvCell => ({ number: value });

function cellText(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'object') return String(cell.number);
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function quote(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header and rows as CSV text, ending with a line break. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const line = (cells: readonly CsvCell[]) => cells.map((c) => quote(cellText(c))).join(',');
  return [line(header), ...rows.map(line)].map((l) => `${l}\r\n`).join('');
}

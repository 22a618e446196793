/**
 * Parses CSV text (RFC 4180): fields separated by commas, records by `\n` or `\r\n`, a field
 * in double quotes may hold commas, line breaks and doubled quotes (`""` → `"`). A trailing
 * line break does not make an empty record; a byte-order mark at the start is skipped.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  // A record is pending once any character of it was read, so "a\n" gives one record.
  let recordStarted = false;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  for (let index = start; index < text.length; index++) {
    const character = text[index]!;
    if (inQuotes) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else {
          inQuotes = false;
        }
      } else {
        field += character;
      }
      continue;
    }
    if (character === '"') {
      inQuotes = true;
      recordStarted = true;
    } else if (character === ',') {
      record.push(field);
      field = '';
      recordStarted = true;
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index++;
      if (recordStarted) {
        record.push(field);
        records.push(record);
      }
      record = [];
      field = '';
      recordStarted = false;
    } else {
      field += character;
      recordStarted = true;
    }
  }
  if (inQuotes) throw new Error('CSV ends inside a quoted field');
  if (recordStarted) {
    record.push(field);
    records.push(record);
  }
  return records;
}

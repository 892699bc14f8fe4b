// The tabular CSV layout, defined once: a header line of column names, then one line per record, `\n`
// line ends, fields quoted as RFC 4180 says when they hold a comma, a double quote or a line break
// (a quote inside a quoted field is doubled). The tabular synthetic generator writes it (data and
// labels objects, under the partitioned keys of `data-layout`); model-build's prepare step and the
// ground-truth collector read it with `parseTabularCsv`, so writer and readers cannot disagree.

/** A parsed tabular CSV: the header's column names and the records as strings, one per line. */
export interface TabularCsv {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A tabular CSV that does not parse; the message names the line (1 = the header). */
export class TabularCsvError extends Error {
  constructor(
    message: string,
    /** 1-based line number of the problem. */
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'TabularCsvError';
  }
}

/** A field as RFC 4180 writes it: quoted only when it has to be. */
export function csvField(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV text of `header` and `rows` (header first, `\n` after every line). A number must be finite;
 * every row must have one field per column (an error names the row otherwise).
 */
export function renderTabularCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  if (header.length === 0) throw new TabularCsvError('the header has no column', 1);
  if (new Set(header).size !== header.length) {
    throw new TabularCsvError(`duplicate column names in ${JSON.stringify(header)}`, 1);
  }
  const lines = [header.map(csvField).join(',')];
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new TabularCsvError(`${row.length} fields, the header has ${header.length}`, i + 2);
    }
    for (const value of row) {
      if (typeof value === 'number' && !Number.isFinite(value)) {
        throw new TabularCsvError(`not a finite number: ${value}`, i + 2);
      }
    }
    lines.push(row.map(csvField).join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** Splits the text into records of fields (RFC 4180: quoted fields may hold separators and line breaks). */
function splitRecords(text: string): { fields: string[]; line: number }[] {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new TabularCsvError('a double quote inside an unquoted field', line);
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (fieldStarted || field !== '' || fields.length > 0) fields.push(field);
      if (fields.length > 0) records.push({ fields, line: recordLine });
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
      recordLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new TabularCsvError('a quoted field is not closed', line);
  if (fieldStarted || field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ fields, line: recordLine });
  }
  return records;
}

/**
 * Parses a tabular CSV. Errors name the line: no header, duplicate or empty column names, a record
 * with another number of fields than the header. Blank lines are skipped.
 */
export function parseTabularCsv(text: string): TabularCsv {
  const records = splitRecords(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (records.length === 0) throw new TabularCsvError('no header line', 1);
  const header = records[0].fields;
  if (header.some((name) => name.trim() === '')) {
    throw new TabularCsvError(`an empty column name in ${JSON.stringify(header)}`, records[0].line);
  }
  if (new Set(header).size !== header.length) {
    throw new TabularCsvError(`duplicate column names in ${JSON.stringify(header)}`, records[0].line);
  }
  const rows = records.slice(1).map((record) => {
    if (record.fields.length !== header.length) {
      throw new TabularCsvError(
        `${record.fields.length} fields, the header has ${header.length}`,
        record.line,
      );
    }
    return record.fields;
  });
  return { header, rows };
}

/** The values of column `name` (error naming the column when the header has no such column). */
export function tabularColumn(csv: TabularCsv, name: string): string[] {
  const index = csv.header.indexOf(name);
  if (index < 0) {
    throw new TabularCsvError(`no column ${JSON.stringify(name)} in ${JSON.stringify(csv.header)}`, 1);
  }
  return csv.rows.map((row) => row[index]);
}

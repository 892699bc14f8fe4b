// The tabular CSV layout (writer and reader in one place): round trip with quoting, and errors that
// name the line for a missing header, duplicate columns and ragged records.
import { parseTabularCsv, renderTabularCsv, tabularColumn, TabularCsvError } from '../src';

describe('tabular CSV', () => {
  it('round-trips fields with separators, quotes and line breaks', () => {
    const header = ['record_id', 'city', 'note', 'x'];
    const rows = [
      ['r-1', 'Paris', 'plain', 1.5],
      ['r-2', 'Rome, IT', 'say "hi"', -2],
      ['r-3', 'Oslo', 'two\nlines', 0],
    ];
    const text = renderTabularCsv(header, rows);
    expect(text.split('\n')[0]).toBe('record_id,city,note,x');
    expect(text).toContain('"Rome, IT","say ""hi"""');
    expect(text.endsWith('\n')).toBe(true);
    const parsed = parseTabularCsv(text);
    expect(parsed.header).toEqual(header);
    expect(parsed.rows).toEqual(rows.map((r) => r.map(String)));
    expect(tabularColumn(parsed, 'x')).toEqual(['1.5', '-2', '0']);
  });

  it('accepts CRLF line ends, a byte order mark and blank lines', () => {
    expect(parseTabularCsv('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n')).toEqual({
      header: ['a', 'b'],
      rows: [
        ['1', '2'],
        ['3', '4'],
      ],
    });
  });

  it.each([
    ['', /line 1: no header line/],
    ['a,a\n1,2\n', /line 1: duplicate column names/],
    ['a,\n1,2\n', /line 1: an empty column name/],
    ['a,b\n1,2\n3\n', /line 3: 1 fields, the header has 2/],
    ['a,b\n1,"2\n', /quoted field is not closed/],
    ['a,b\n1,x"y"\n', /line 2: a double quote inside an unquoted field/],
  ])('rejects %p', (text, message) => {
    expect(() => parseTabularCsv(text)).toThrow(TabularCsvError);
    expect(() => parseTabularCsv(text)).toThrow(message);
  });

  it('refuses to write ragged rows, non-finite numbers and duplicate columns (naming the line)', () => {
    expect(() => renderTabularCsv(['a', 'b'], [[1]])).toThrow(/line 2: 1 fields, the header has 2/);
    expect(() => renderTabularCsv(['a'], [[1], [Number.NaN]])).toThrow(/line 3: not a finite number/);
    expect(() => renderTabularCsv(['a', 'a'], [])).toThrow(/duplicate column names/);
    expect(() => tabularColumn(parseTabularCsv('a\n1\n'), 'b')).toThrow(/no column "b"/);
  });
});

using System.Text;

namespace Meridian.Ingestion.Formats.Csv;

/// <summary>
/// RFC 4180 records: fields split by a delimiter, quoted with '"' (a doubled '"' inside quotes is one '"'),
/// line breaks allowed inside quotes; CRLF, LF or CR ends a record. A record whose quote never closes is
/// reported, and reading resumes on the line after the one it started on, so that one stray quote costs
/// one row, not the rest of the file.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars)
{
    public const int DefaultMaxRecordChars = 16 * 1024 * 1024;

    private readonly StringBuilder _raw = new();
    private readonly StringBuilder _field = new();
    private string _pushback = "";
    private int _pushbackAt;

    /// <summary>
    /// Reads the next record into <paramref name="fields"/>; false at the end of the input. When the record
    /// is unreadable, <paramref name="error"/> says why, naming the field by its 0-based index in <paramref name="errorField"/>.
    /// </summary>
    public bool TryRead(List<string> fields, out string? error, out int errorField)
    {
        fields.Clear();
        _raw.Clear();
        _field.Clear();
        error = null;
        errorField = -1;
        var c = Read();
        if (c < 0) return false;
        var inQuotes = false;
        var wasQuoted = false;
        while (true)
        {
            if (c < 0)
            {
                if (!inQuotes)
                {
                    fields.Add(_field.ToString());
                    return true;
                }
                (error, errorField) = ("the quote that opens this field is never closed", fields.Count);
                ResumeOnTheNextLine();
                return true;
            }
            _raw.Append((char)c);
            if (_raw.Length > maxRecordChars)
            {
                (error, errorField) = ($"the row is longer than {maxRecordChars / (1024 * 1024)} Mi characters{(inQuotes ? " (a quote that is never closed?)" : "")}", fields.Count);
                // Within quotes that span lines, resume on the line after the row's first; else after this line.
                if (!inQuotes || !ResumeOnTheNextLine()) SkipLine();
                return true;
            }
            if (inQuotes)
            {
                if (c != '"') _field.Append((char)c);
                else if (Peek() == '"') _field.Append((char)Read());
                else inQuotes = false;
            }
            else if (c == '"' && _field.Length == 0 && !wasQuoted)
            {
                inQuotes = wasQuoted = true;
            }
            else if (c == delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                wasQuoted = false;
            }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && Peek() == '\n') Read();
                fields.Add(_field.ToString());
                return true;
            }
            else
            {
                // Lenient, as spreadsheets are: a quote inside an unquoted field, or text after a closing quote, is kept.
                _field.Append((char)c);
            }
            c = Read();
        }
    }

    /// <summary>Gives back everything read after the first line break of the failed record; false when it has none.</summary>
    private bool ResumeOnTheNextLine()
    {
        var raw = _raw.ToString();
        var lineEnd = raw.IndexOfAny(['\r', '\n']);
        if (lineEnd < 0) return false;
        _pushback = raw[(lineEnd + (raw.AsSpan(lineEnd).StartsWith("\r\n") ? 2 : 1))..] + _pushback[_pushbackAt..];
        _pushbackAt = 0;
        return true;
    }

    private void SkipLine()
    {
        int c;
        while ((c = Read()) >= 0 && c != '\n')
        {
        }
    }

    private int Read() => _pushbackAt < _pushback.Length ? _pushback[_pushbackAt++] : reader.Read();

    private int Peek() => _pushbackAt < _pushback.Length ? _pushback[_pushbackAt] : reader.Peek();
}

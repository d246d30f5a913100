using System.Text;
using System.Text.Json;

namespace CorpNotifier.Intake;

/// <summary>
/// Reads a body as strict JSON before anything else does, to say what is wrong with it in words a
/// producer understands: what, where (line and column, and the field being read when there is
/// one), and a key given twice at its own path (<c>data.newBalance</c>) rather than at the body's.
/// </summary>
public static class JsonSyntax
{
    private const string Malformed = "malformed JSON";

    /// <summary>How much of a producer's token a message repeats.</summary>
    private const int MaxEcho = 32;

    /// <summary>What is wrong with <paramref name="body"/> as strict JSON, under the wire path it concerns (<c>$</c> for the body); null when it is well formed.</summary>
    public static (string Path, string Message)? Check(ReadOnlySpan<byte> body, int maxDepth)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions
        {
            MaxDepth = maxDepth,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        var frames = new List<Frame>();
        var read = false;
        try
        {
            while (reader.Read())
            {
                read = true;
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        NextValue(frames);
                        frames.Add(new Frame(IsArray: false));
                        break;
                    case JsonTokenType.StartArray:
                        NextValue(frames);
                        frames.Add(new Frame(IsArray: true));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = frames[^1];
                        if (Name(ref reader) is not { } name)
                        {
                            var (line, column) = Position(body, (int)reader.TokenStartIndex);
                            return ("$", $"{Malformed} at line {line}, column {column}{Near(frames)}: a field name holds an escaped lone surrogate (a \\uD800–\\uDFFF escape without its pair), which is no text");
                        }

                        frame.Property = name;
                        if (!frame.Names.Add(name))
                        {
                            var (line, column) = Position(body, (int)reader.TokenStartIndex);
                            return (PathOf(frames), $"is given twice (again at line {line}, column {column}); give each field once");
                        }

                        break;
                    default:
                        NextValue(frames);
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            return ("$", Describe(body, ex, frames, read, maxDepth));
        }

        return null;
    }

    /// <summary>A field name as text; its raw bytes when they are no UTF-8 (the validator names those); null for an escaped lone surrogate.</summary>
    private static string? Name(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException) when (!reader.ValueIsEscaped)
        {
            return "bytes:" + Convert.ToHexString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void NextValue(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1].Index++;
        }
    }

    private static string Describe(ReadOnlySpan<byte> body, JsonException ex, List<Frame> frames, bool read, int maxDepth)
    {
        if (!read && body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return $"{Malformed}: the body is empty; send one JSON object";
        }

        var at = Offset(body, ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0);
        var (line, column) = Position(body, at);
        var where = $"{Malformed} at line {line}, column {column}{Near(frames)}";
        if (at >= body.Length)
        {
            return $"{where}: the JSON ends before it is complete (a string, an object or an array is not closed)";
        }

        var current = body[at];
        var previous = body[..at].TrimEnd(" \t\r\n"u8) is { IsEmpty: false } before ? before[^1] : (byte)0;
        var token = Token(body, at);
        return current switch
        {
            (byte)'{' or (byte)'[' when frames.Count >= maxDepth => $"{where}: objects and arrays are nested more than {maxDepth} deep",
            _ when frames.Count == 0 && read => $"{where}: there is more after the JSON object; send one JSON object",
            (byte)'/' => $"{where}: comments (// or /* */) are not allowed in JSON",
            (byte)'\'' => $"{where}: text and field names are written in double quotes (\"), not single ones",
            < 0x20 => $"{where}: a line break, tab or other control character inside text must be written as an escape (\\n, \\t, \\u0000)",
            (byte)'}' or (byte)']' when previous == ',' => $"{where}: a comma before a closing }} or ] is not allowed",
            _ when token.Length > 0 && (char.IsAsciiDigit(token[0]) || token[0] is '-' or '+' or '.') =>
                $"{where}: {token} is not a number as JSON writes one (digits with an optional minus sign, decimal point and exponent, e.g. -150.50 or 1e3)",
            _ when token.Length > 0 && char.IsLetter(token[0]) =>
                $"{where}: {token} is not a JSON value (numbers are digits such as 150.50, text is in double quotes, and the only words are true, false and null)",
            _ => $"{where}: {ReaderMessage(ex)}",
        };
    }

    /// <summary>The reader's own words, without its position (given above in lines and columns) and its advice to change options.</summary>
    private static string ReaderMessage(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        message = cut >= 0 ? message[..cut] : message;
        return message.Replace(" Change the reader options.", "", StringComparison.Ordinal).TrimEnd('.', ' ');
    }

    /// <summary>The producer's token at the fault: from the start of the value being read to the next delimiter.</summary>
    private static string Token(ReadOnlySpan<byte> body, int at)
    {
        var start = at;
        while (start > 0 && !IsDelimiter(body[start - 1]))
        {
            start--;
        }

        var end = at;
        while (end < body.Length && !IsDelimiter(body[end]) && end - start < MaxEcho)
        {
            end++;
        }

        return Encoding.UTF8.GetString(body[start..end]);
    }

    private static bool IsDelimiter(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)',' or (byte)':' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'"';

    private static string Near(List<Frame> frames) => PathOf(frames) is var path && path != "$" ? $", in {path}" : "";

    /// <summary>The wire path being read: <c>data.emails[1]</c>, <c>$</c> for the body itself.</summary>
    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                if (frame.Index >= 0)
                {
                    path.Append('[').Append(frame.Index).Append(']');
                }
            }
            else if (frame.Property is { } property)
            {
                path.Append(path.Length > 0 ? "." : "").Append(property);
            }
        }

        return path.Length > 0 ? path.ToString() : "$";
    }

    /// <summary>The byte offset of a reader's position (lines and bytes from 0).</summary>
    private static int Offset(ReadOnlySpan<byte> body, long line, long bytePositionInLine)
    {
        var offset = 0;
        for (var l = 0L; l < line; l++)
        {
            var next = body[offset..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            offset += next + 1;
        }

        return (int)Math.Min(body.Length, offset + bytePositionInLine);
    }

    /// <summary>The line and column (from 1, in characters) of a byte offset, as an editor shows them.</summary>
    private static (int Line, int Column) Position(ReadOnlySpan<byte> body, int offset)
    {
        var before = body[..Math.Min(offset, body.Length)];
        var line = before.Count((byte)'\n') + 1;
        var start = before.LastIndexOf((byte)'\n') + 1;
        var column = 1;
        foreach (var b in before[start..])
        {
            // Count characters, not bytes: continuation bytes of a UTF-8 sequence are not characters.
            if ((b & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return (line, column);
    }

    private sealed record Frame(bool IsArray)
    {
        public int Index { get; set; } = -1;

        public string? Property { get; set; }

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }
}

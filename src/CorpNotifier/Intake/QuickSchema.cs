using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CorpNotifier.Intake;

/// <summary>
/// A quick "valid" for the event schemas, before the schema library is asked: the keywords the
/// schemas use, compiled once into checks on a <see cref="JsonElement"/>. Most events are valid,
/// and the library's evaluation of one was the largest single cost of reading an event.
/// </summary>
/// <remarks>
/// <para>
/// It answers true only where the library would find the instance valid too. Where it cannot be
/// sure it answers false, and the library decides (and says what is wrong): a string longer in
/// UTF-16 units than its <c>maxLength</c> (the library counts text elements, which are never more),
/// a number in exponent form or of more than 20 characters, an integer written with a fraction
/// (<c>1.0</c>), a name given twice, anything the schema refuses.
/// </para>
/// <para>
/// A schema with a keyword outside the set below has no quick check (<see cref="Compile(JsonNode?)"/> returns
/// null). <c>format</c> is an annotation only where the root's <c>$schema</c> names draft 2020-12 or
/// 2019-09, as it is to the library there; without a draft the library checks formats, so a schema
/// using <c>format</c> without one has no quick check. Patterns are ECMAScript regular expressions,
/// as the library compiles them.
/// </para>
/// </remarks>
internal sealed class QuickSchema
{
    /// <summary>Keywords that say nothing about validity.</summary>
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly",
    };

    /// <summary>The drafts under which the library takes <c>format</c> as an annotation, named by the root's <c>$schema</c>.</summary>
    private static readonly HashSet<string> FormatAnnotatingDrafts = new(StringComparer.Ordinal)
    {
        "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2019-09/schema",
    };

    /// <summary>One compiled regular expression per distinct pattern: the schemas repeat a few patterns many times.</summary>
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>The longest number token compared as a decimal: up to 20 characters, its digits are held exactly.</summary>
    private const int MaxNumberLength = 20;

    private readonly bool _rejectsAll;
    private Kinds _types = Kinds.Any;
    private int? _maxLength;
    private Regex? _pattern;
    private Literal[]? _enum;
    private decimal? _minimum;
    private decimal? _maximum;
    private Dictionary<string, (int Index, QuickSchema Schema)>? _properties;
    private ulong _required;
    private QuickSchema? _additional;
    private int? _maxProperties;
    private QuickSchema? _propertyNames;
    private QuickSchema? _items;
    private int? _maxItems;

    private QuickSchema(bool rejectsAll) => _rejectsAll = rejectsAll;

    [Flags]
    private enum Kinds
    {
        None = 0,
        String = 1,
        Number = 2,
        Integer = 4,
        Boolean = 8,
        Null = 16,
        Object = 32,
        Array = 64,
        Any = String | Number | Integer | Boolean | Null | Object | Array,
    }

    /// <summary>The quick check of <paramref name="schema"/>, or null when it uses a keyword (or a form of one) this class does not know.</summary>
    public static QuickSchema? Compile(JsonNode? schema)
    {
        var formatIsAnnotation = schema is JsonObject root && root["$schema"] is JsonValue draft
            && draft.TryGetValue(out string? uri) && FormatAnnotatingDrafts.Contains(uri);
        return Compile(schema, formatIsAnnotation);
    }

    private static QuickSchema? Compile(JsonNode? schema, bool formatIsAnnotation)
    {
        switch (schema)
        {
            case JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return new QuickSchema(rejectsAll: value.GetValueKind() == JsonValueKind.False);
            case JsonObject node:
                var quick = new QuickSchema(rejectsAll: false);
                foreach (var (keyword, argument) in node)
                {
                    if (!Annotations.Contains(keyword) && !quick.TryAdd(keyword, argument, node, formatIsAnnotation))
                    {
                        return null;
                    }
                }

                return quick;
            default:
                return null;
        }
    }

    /// <summary>True when <paramref name="instance"/> is surely valid; false when it is not, or when only the library can tell.</summary>
    public bool IsSurelyValid(JsonElement instance)
    {
        if (_rejectsAll || !HasKind(instance))
        {
            return false;
        }

        if (_enum is not null && !Array.Exists(_enum, literal => literal.Matches(instance)))
        {
            return false;
        }

        return instance.ValueKind switch
        {
            JsonValueKind.String => IsSurelyValidString(instance.GetString()!),
            JsonValueKind.Number => IsSurelyValidNumber(instance),
            JsonValueKind.Object => IsSurelyValidObject(instance),
            JsonValueKind.Array => IsSurelyValidArray(instance),
            _ => true,
        };
    }

    private bool TryAdd(string keyword, JsonNode? argument, JsonObject node, bool formatIsAnnotation)
    {
        switch (keyword)
        {
            case "format":
                return formatIsAnnotation;
            case "type":
                return TryTypes(argument, out _types);
            case "maxLength" when Count(argument) is { } length:
                _maxLength = length;
                return true;
            case "pattern" when argument is JsonValue pattern && pattern.TryGetValue(out string? text):
                try
                {
                    _pattern = Patterns.GetOrAdd(text, p => new Regex(p, RegexOptions.ECMAScript | RegexOptions.Compiled));
                    return true;
                }
                catch (ArgumentException)
                {
                    // Not a pattern .NET reads as ECMAScript: the library is left to say what it makes of it.
                    return false;
                }

            case "const":
                _enum = Literal.TryCreate(argument) is { } single ? [single] : null;
                return _enum is not null && !node.ContainsKey("enum");
            case "enum" when argument is JsonArray values && values.Count > 0:
                _enum = [.. values.Select(Literal.TryCreate).OfType<Literal>()];
                return _enum.Length == values.Count && !node.ContainsKey("const");
            case "minimum" when Bound(argument) is { } minimum:
                _minimum = minimum;
                return true;
            case "maximum" when Bound(argument) is { } maximum:
                _maximum = maximum;
                return true;
            case "properties" when argument is JsonObject properties && properties.Count <= 64:
                _properties = new Dictionary<string, (int, QuickSchema)>(StringComparer.Ordinal);
                foreach (var (name, subschema) in properties)
                {
                    if (Compile(subschema, formatIsAnnotation) is not { } quick)
                    {
                        return false;
                    }

                    _properties[name] = (_properties.Count, quick);
                }

                return TryRequired(node["required"]);
            case "required":
                // Read with properties, whose indexes it needs; on its own it is not known here.
                return node["properties"] is JsonObject;
            case "additionalProperties":
                _additional = Compile(argument, formatIsAnnotation);
                return _additional is not null;
            case "maxProperties" when Count(argument) is { } count:
                _maxProperties = count;
                return true;
            case "propertyNames":
                _propertyNames = Compile(argument, formatIsAnnotation);
                return _propertyNames is not null;
            case "items" when argument is JsonObject or JsonValue:
                _items = Compile(argument, formatIsAnnotation);
                return _items is not null;
            case "maxItems" when Count(argument) is { } items:
                _maxItems = items;
                return true;
            default:
                return false;
        }
    }

    private bool TryRequired(JsonNode? argument)
    {
        if (argument is null)
        {
            return true;
        }

        if (argument is not JsonArray names)
        {
            return false;
        }

        foreach (var name in names)
        {
            if (name is not JsonValue value || !value.TryGetValue(out string? text) || !_properties!.TryGetValue(text, out var property))
            {
                // A required name without a schema of its own is not known here.
                return false;
            }

            _required |= 1UL << property.Index;
        }

        return true;
    }

    private static bool TryTypes(JsonNode? argument, out Kinds kinds)
    {
        kinds = Kinds.None;
        var names = argument is JsonArray list ? [.. list] : new[] { argument };
        foreach (var name in names)
        {
            var kind = name is JsonValue value && value.TryGetValue(out string? text) ? KindOf(text) : Kinds.None;
            if (kind == Kinds.None)
            {
                return false;
            }

            kinds |= kind;
        }

        return kinds != Kinds.None;
    }

    private static Kinds KindOf(string name) => name switch
    {
        "string" => Kinds.String,
        "number" => Kinds.Number | Kinds.Integer,
        "integer" => Kinds.Integer,
        "boolean" => Kinds.Boolean,
        "null" => Kinds.Null,
        "object" => Kinds.Object,
        "array" => Kinds.Array,
        _ => Kinds.None,
    };

    private static int? Count(JsonNode? argument) =>
        argument is JsonValue value && value.GetValueKind() == JsonValueKind.Number && int.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null;

    private static decimal? Bound(JsonNode? argument) =>
        argument is JsonValue value && value.GetValueKind() == JsonValueKind.Number && PlainDecimal(value.ToJsonString()) is { } bound ? bound : null;

    /// <summary>The exact value of a number written without an exponent in at most <see cref="MaxNumberLength"/> characters; null otherwise.</summary>
    private static decimal? PlainDecimal(string token) =>
        token.Length <= MaxNumberLength && token.AsSpan().IndexOfAny('e', 'E') < 0
        && decimal.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private bool HasKind(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.String => (_types & Kinds.String) != 0,
        JsonValueKind.Number => (_types & Kinds.Number) != 0 || ((_types & Kinds.Integer) != 0 && IsPlainInteger(instance)),
        JsonValueKind.True or JsonValueKind.False => (_types & Kinds.Boolean) != 0,
        JsonValueKind.Null => (_types & Kinds.Null) != 0,
        JsonValueKind.Object => (_types & Kinds.Object) != 0,
        JsonValueKind.Array => (_types & Kinds.Array) != 0,
        _ => false,
    };

    /// <summary>An integer written as one (<c>12</c>, <c>-3</c>): <see cref="JsonElement.TryGetInt64"/> refuses a fraction or an exponent, so <c>1.0</c> and <c>1e2</c>, integers too, are left to the library.</summary>
    private static bool IsPlainInteger(JsonElement number) => number.TryGetInt64(out _);

    private bool IsSurelyValidString(string text) =>
        (_maxLength is not { } max || text.Length <= max)
        && (_pattern is null || _pattern.IsMatch(text));

    private bool IsSurelyValidNumber(JsonElement number)
    {
        if (_minimum is null && _maximum is null)
        {
            return true;
        }

        return PlainDecimal(number.GetRawText()) is { } value
            && (_minimum is not { } minimum || value >= minimum)
            && (_maximum is not { } maximum || value <= maximum);
    }

    private bool IsSurelyValidObject(JsonElement instance)
    {
        var seen = 0UL;
        var count = 0;
        foreach (var property in instance.EnumerateObject())
        {
            count++;
            if (_propertyNames is not null && !_propertyNames.IsSurelyValidName(property.Name))
            {
                return false;
            }

            if (_properties is not null && _properties.TryGetValue(property.Name, out var known))
            {
                var bit = 1UL << known.Index;
                if ((seen & bit) != 0 || !known.Schema.IsSurelyValid(property.Value))
                {
                    // A name given twice is the library's to judge.
                    return false;
                }

                seen |= bit;
            }
            else if (_additional is not null && !_additional.IsSurelyValid(property.Value))
            {
                return false;
            }
        }

        return (seen & _required) == _required && (_maxProperties is not { } max || count <= max);
    }

    /// <summary>A property name checked against <c>propertyNames</c>: the name as a JSON string.</summary>
    private bool IsSurelyValidName(string name)
    {
        if (_rejectsAll || (_types & Kinds.String) == 0)
        {
            return false;
        }

        return (_enum is null || Array.Exists(_enum, literal => literal.Matches(name))) && IsSurelyValidString(name);
    }

    private bool IsSurelyValidArray(JsonElement instance)
    {
        if (_maxItems is { } max && instance.GetArrayLength() > max)
        {
            return false;
        }

        if (_items is null)
        {
            return true;
        }

        foreach (var item in instance.EnumerateArray())
        {
            if (!_items.IsSurelyValid(item))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A value of <c>const</c> or <c>enum</c> this class can compare: a string, a boolean, null, or a plain number.</summary>
    private sealed record Literal(JsonValueKind Kind, string? Text, decimal? Number)
    {
        public static Literal? TryCreate(JsonNode? node) => node switch
        {
            null => new Literal(JsonValueKind.Null, null, null),
            JsonValue value => value.GetValueKind() switch
            {
                JsonValueKind.String when value.TryGetValue(out string? text) => new Literal(JsonValueKind.String, text, null),
                JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => new Literal(value.GetValueKind(), null, null),
                JsonValueKind.Number when PlainDecimal(value.ToJsonString()) is { } number => new Literal(JsonValueKind.Number, null, number),
                _ => null,
            },
            _ => null,
        };

        public bool Matches(JsonElement instance) => Kind switch
        {
            JsonValueKind.String => instance.ValueKind == JsonValueKind.String && instance.ValueEquals(Text),
            JsonValueKind.Number => instance.ValueKind == JsonValueKind.Number && PlainDecimal(instance.GetRawText()) == Number,
            _ => instance.ValueKind == Kind,
        };

        public bool Matches(string name) => Kind == JsonValueKind.String && string.Equals(name, Text, StringComparison.Ordinal);
    }
}

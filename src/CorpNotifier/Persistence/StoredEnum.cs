using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Persistence;

/// <summary>Enums are stored as their wire names (<c>pending</c>, <c>attempt_failed</c>), readable in SQL and in the claim query.</summary>
public static class StoredEnum
{
    public static Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<T, string> Of<T>()
        where T : struct, Enum =>
        new(value => Hosting.WireName.Of(value), stored => Hosting.WireName.Parse<T>(stored));
}

/// <summary>Marks a property stored as JSON text (a string, or a value converted to one): <c>jsonb</c> on PostgreSQL, text elsewhere.</summary>
public static class JsonColumn
{
    internal const string Annotation = "CorpNotifier:JsonColumn";

    public static PropertyBuilder<T> IsJson<T>(this PropertyBuilder<T> property) => property.HasAnnotation(Annotation, true);
}

/// <summary>
/// An index on an array column, for "the list holds this value" (<c>list.Contains(value)</c>, which
/// PostgreSQL's provider translates to <c>column @&gt; ARRAY[value]</c>): a GIN index on
/// PostgreSQL. SQLite keeps arrays as JSON text, which no index serves, so there it is left out.
/// </summary>
public static class ArrayIndex
{
    internal const string Annotation = "CorpNotifier:ArrayIndex";

    public static IndexBuilder<T> IsArrayIndex<T>(this IndexBuilder<T> index) => index.HasAnnotation(Annotation, true);
}

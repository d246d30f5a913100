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

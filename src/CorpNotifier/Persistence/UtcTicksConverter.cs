using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CorpNotifier.Persistence;

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks (SQLite only).</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

/// <summary>
/// PostgreSQL's <c>timestamptz</c> takes UTC only: a moment a producer wrote with its own offset
/// (<c>2026-12-07T02:30:00+03:00</c>) is stored, compared and read back as the same instant in UTC.
/// </summary>
public sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    value => value.ToUniversalTime(),
    value => value.ToUniversalTime());

using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CorpNotifier.Persistence;

/// <summary>Stores a <see cref="DateTimeOffset"/> as its UTC ticks (SQLite only).</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));

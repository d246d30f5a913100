using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CorpNotifier.Calendars;

/// <summary>The tables this folder owns: their mapping, and their access from <see cref="NoticesDbContext"/>.</summary>
public static class CalendarTables
{
    extension(NoticesDbContext db)
    {
        /// <summary>Calendar years admins edited or imported (table <c>calendar_years</c>).</summary>
        public DbSet<CalendarYearRecord> CalendarYears => db.Set<CalendarYearRecord>();
    }
}

internal sealed class CalendarYearRecordConfiguration : IEntityTypeConfiguration<CalendarYearRecord>
{
    public const string Table = "calendar_years";

    public void Configure(EntityTypeBuilder<CalendarYearRecord> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(c => new { c.Country, c.Year });
        builder.Property(c => c.Country).HasMaxLength(8);
        builder.Property(c => c.Source).HasMaxLength(4000);
        builder.Property(c => c.DaysOff).IsJson();
        builder.Property(c => c.WorkingDays).IsJson();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.Property(c => c.Origin).HasMaxLength(16);
        builder.Property(c => c.UpdatedBy).HasMaxLength(128);
    }
}

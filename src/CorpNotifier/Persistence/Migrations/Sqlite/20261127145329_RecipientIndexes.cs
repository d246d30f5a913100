using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CorpNotifier.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// PostgreSQL's migration of this name adds GIN indexes on the recipient lists. SQLite keeps
    /// the lists as JSON text, which no index serves: nothing to do here, and the two providers
    /// keep the same list of migrations.
    /// </summary>
    public partial class RecipientIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}

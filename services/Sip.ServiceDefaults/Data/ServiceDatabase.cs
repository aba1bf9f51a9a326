using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sip.ServiceDefaults.Data;

/// <summary>
/// The explicit migrate step: <c>dotnet Sip.X.dll migrate</c> provisions the service's own role and
/// schema (when given a superuser connection as <c>ConnectionStrings:DatabaseAdmin</c>) and applies
/// its EF Core migrations as that role. Pods never migrate on start.
/// </summary>
public static partial class ServiceDatabase
{
    public const string MigrateCommand = "migrate";

    /// <summary>The exit code of a migrate step that found another one running for the same schema (EX_TEMPFAIL).</summary>
    public const int AlreadyRunningExitCode = 75;

    public static async Task<bool> TryRunMigrateCommandAsync<TDbContext>(this WebApplication app, string[] args, string schema)
        where TDbContext : DbContext
    {
        if (args.Length > 0 && app.Services.GetServices<IMaintenanceCommand>().FirstOrDefault(c => c.Name == args[0]) is { } command)
        {
            Environment.ExitCode = await command.RunAsync(args[1..], CancellationToken.None);
            return true;
        }
        if (args.Length == 0 || args[0] != MigrateCommand)
        {
            return false;
        }
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sip.Migrate");
        var admin = app.Configuration.DatabaseConnectionString("DatabaseAdmin");
        var service = app.Configuration.RequiredDatabaseConnectionString("Database");
        // On the service's database, whichever role takes it: advisory locks are per database.
        var lockOn = admin is null ? service
            : new NpgsqlConnectionStringBuilder(admin) { Database = new NpgsqlConnectionStringBuilder(service).Database }.ConnectionString;
        await using var migrationLock = await TryLockMigrationsAsync(lockOn, schema);
        if (migrationLock is null)
        {
            log.LogError("Another migrate step is running for schema {Schema}; this one refuses to run at the same time", schema);
            Environment.ExitCode = AlreadyRunningExitCode;
            return true;
        }
        if (admin is not null)
        {
            await ProvisionAsync(admin, service, schema);
            log.LogInformation("Provisioned role and schema {Schema}", schema);
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await db.Database.MigrateAsync();
        log.LogInformation("Migrations applied to schema {Schema}", schema);
        foreach (var after in app.Services.GetServices<IAfterMigrations>())
        {
            await after.AfterMigrationsAsync(CancellationToken.None);
        }
        if (admin is not null)
        {
            await SecureAuditLogAsync(admin, service, schema);
            log.LogInformation("Audit log of schema {Schema} given to {Owner}", schema, AuditOwnerRole);
        }
        return true;
    }

    /// <summary>
    /// The session-level advisory lock one migrate step of <paramref name="schema"/> holds while it runs (a connection that
    /// keeps it until disposed), or null when another session holds it: two Jobs of one release, or a Job started by
    /// hand beside the hook, must not migrate at once. The lock is per database and schema, so the services'
    /// migrations still run side by side.
    /// </summary>
    public static async Task<NpgsqlConnection?> TryLockMigrationsAsync(string connectionString, string schema, CancellationToken ct = default)
    {
        // Unpooled: disposing it must end the session and with it the lock, not park it in a pool.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(736173, hashtext($1))", connection)
            {
                Parameters = { new NpgsqlParameter { Value = schema } },
            };
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                return connection;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>
    /// Creates (or updates) the login role named in the service's connection string and a schema
    /// it owns, and takes every default privilege away from PUBLIC, so a service role can touch only
    /// its own schema. Serialised with an advisory lock because concurrent GRANT/REVOKE on the same
    /// catalog rows fail ("tuple concurrently updated") when several migrate jobs start at once.
    /// </summary>
    public static async Task ProvisionAsync(string adminConnectionString, string serviceConnectionString, string schema, CancellationToken ct = default)
    {
        var service = new NpgsqlConnectionStringBuilder(serviceConnectionString);
        var role = Identifier(service.Username, "role");
        var database = Identifier(service.Database, "database");
        Identifier(schema, "schema");
        var password = (service.Password ?? throw new InvalidOperationException("The service connection string has no password.")).Replace("'", "''");

        var adminBuilder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database };
        await using var connection = new NpgsqlConnection(adminBuilder.ConnectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var sql = $"""
            SELECT pg_advisory_xact_lock(736172);
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} LOGIN PASSWORD '{password}';
              END IF;
            END $$;
            ALTER ROLE {role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}';
            REVOKE ALL ON DATABASE {database} FROM PUBLIC;
            GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role};
            REVOKE ALL ON SCHEMA public FROM PUBLIC;
            {CreateNoLoginRole(SchemaOwnerRole)}
            CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {SchemaOwnerRole};
            ALTER SCHEMA {schema} OWNER TO {SchemaOwnerRole};
            REVOKE ALL ON SCHEMA {schema} FROM PUBLIC;
            GRANT USAGE, CREATE ON SCHEMA {schema} TO {role};
            """;
        await using (var command = new NpgsqlCommand(sql, connection, tx))
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Owns every service schema (NOLOGIN): the service role gets USAGE and CREATE, so it owns the tables its
    /// migrations create, but not the schema, and so cannot drop a table it does not own (a schema's owner can).
    /// </summary>
    public const string SchemaOwnerRole = "sip_schema_owner";

    /// <summary>Owns every audit table, its partitions and its functions (NOLOGIN). The service role may only INSERT and SELECT.</summary>
    public const string AuditOwnerRole = "sip_audit_owner";

    /// <summary>
    /// Run by the migrate step as the admin after the migrations: gives the schema's audit table (its partitions,
    /// the append-only trigger function and the partition function) to <see cref="AuditOwnerRole"/> and leaves the
    /// service role INSERT and SELECT, plus EXECUTE on <c>audit_ensure_partitions</c>. The service role then cannot
    /// UPDATE, DELETE, TRUNCATE, ALTER, DISABLE TRIGGER or DROP it. Idempotent; a schema without an audit table is left alone.
    /// Migrations that must change the audit table later run as the service role and so cannot:
    /// such a change belongs here, in SQL the admin runs.
    /// </summary>
    public static async Task SecureAuditLogAsync(string adminConnectionString, string serviceConnectionString, string schema, CancellationToken ct = default)
    {
        var service = new NpgsqlConnectionStringBuilder(serviceConnectionString);
        var role = Identifier(service.Username, "role");
        var database = Identifier(service.Database, "database");
        Identifier(schema, "schema");
        var table = $"{schema}.{AuditLog.Table}";
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var sql = $"""
            SELECT pg_advisory_xact_lock(736172);
            {CreateNoLoginRole(AuditOwnerRole)}
            DO $$
            DECLARE part regclass;
            BEGIN
              IF to_regclass('{table}') IS NULL THEN
                RETURN;
              END IF;
              GRANT USAGE, CREATE ON SCHEMA {schema} TO {AuditOwnerRole};
              ALTER TABLE {table} OWNER TO {AuditOwnerRole};
              REVOKE ALL ON {table} FROM PUBLIC, {role};
              GRANT SELECT, INSERT ON {table} TO {role};
              FOR part IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '{table}'::regclass LOOP
                EXECUTE format('ALTER TABLE %s OWNER TO {AuditOwnerRole}', part);
                EXECUTE format('REVOKE ALL ON %s FROM PUBLIC, {role}', part);
              END LOOP;
              ALTER FUNCTION {schema}.audit_append_only() OWNER TO {AuditOwnerRole};
              REVOKE ALL ON FUNCTION {schema}.audit_append_only() FROM PUBLIC;
              IF to_regprocedure('{schema}.audit_ensure_partitions(timestamp with time zone, timestamp with time zone)') IS NOT NULL THEN
                ALTER FUNCTION {schema}.audit_ensure_partitions(timestamp with time zone, timestamp with time zone) OWNER TO {AuditOwnerRole};
                REVOKE ALL ON FUNCTION {schema}.audit_ensure_partitions(timestamp with time zone, timestamp with time zone) FROM PUBLIC;
                GRANT EXECUTE ON FUNCTION {schema}.audit_ensure_partitions(timestamp with time zone, timestamp with time zone) TO {role};
                PERFORM {schema}.audit_ensure_partitions(now(), now() + interval '{AuditLog.MigratePartitionsAheadMonths} months');
              END IF;
            END $$;
            """;
        await using (var command = new NpgsqlCommand(sql, connection, tx))
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    // Roles are per cluster while the advisory lock is per database: a migrate step on another database may create it first.
    private static string CreateNoLoginRole(string name) => $"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN
            CREATE ROLE {name} NOLOGIN;
          END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$;
        ALTER ROLE {name} WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
        """;

    private static string Identifier(string? value, string what) =>
        value is not null && IdentifierPattern().IsMatch(value)
            ? value
            : throw new InvalidOperationException($"The {what} name must be a plain lower-case SQL identifier.");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}

/// <summary>
/// Work the migrate step does after the migrations, with the service's code: e.g. filling a new table that SQL alone
/// cannot (case's inbox rows). It runs at every migrate step, so it decides itself from the database whether there is
/// work to do (and a step that failed half-way is completed by the next one).
/// </summary>
public interface IAfterMigrations
{
    Task AfterMigrationsAsync(CancellationToken ct);
}

using System.Net;
using System.Net.Sockets;
using Npgsql;
using Sip.ServiceDefaults.Data;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Xunit;

namespace Sip.Testing;

/// <summary>
/// A real PostgreSQL in a container. The image comes from <c>SIP_TEST_POSTGRES_IMAGE</c> (set by
/// tests/containers/prepare-docker.sh on machines without a registry), else the official image.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly PostgreSqlContainer _container = new PostgreSqlBuilder(Environment.GetEnvironmentVariable("SIP_TEST_POSTGRES_IMAGE") ?? "postgres:15-alpine")
        .WithUsername("postgres")
        .WithPassword("postgres-test")
        .WithDatabase("sip")
        .Build();

    public string AdminConnectionString => _container.GetConnectionString();

    public async ValueTask InitializeAsync() => await _container.StartAsync();

    public ValueTask DisposeAsync() => _container.DisposeAsync();

    /// <summary>Provisions role <c>sip_{schema}</c> owning schema <paramref name="schema"/>, exactly as the migrate step does, and returns its connection string.</summary>
    public async Task<string> CreateServiceSchemaAsync(string schema)
    {
        var connectionString = ServiceConnectionString(schema);
        await ServiceDatabase.ProvisionAsync(AdminConnectionString, connectionString, schema);
        return connectionString;
    }

    public string ServiceConnectionString(string schema) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Username = $"sip_{schema}", Password = $"test-{schema}" }.ConnectionString;

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A real RabbitMQ in a container, on a fixed host port so the broker can be stopped and started
/// again (a real connection drop) without the address changing.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private readonly RabbitMqContainer _container;

    public RabbitMqFixture()
    {
        Port = FreePort();
        _container = new RabbitMqBuilder(Environment.GetEnvironmentVariable("SIP_TEST_RABBITMQ_IMAGE") ?? "rabbitmq:3.13-alpine")
            .WithUsername("guest")
            .WithPassword("guest")
            .WithPortBinding(Port, 5672)
            .Build();
    }

    public string Host => "127.0.0.1";
    public ushort Port { get; }
    public string Username => "guest";
    public string Password => "guest";

    public async ValueTask InitializeAsync() => await _container.StartAsync();

    public ValueTask DisposeAsync() => _container.DisposeAsync();

    public Task StopBrokerAsync() => _container.StopAsync();

    public Task StartBrokerAsync() => _container.StartAsync();

    public IEnumerable<KeyValuePair<string, string?>> Configuration() =>
    [
        new("RabbitMq:Host", Host),
        new("RabbitMq:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("RabbitMq:Username", Username),
        new("RabbitMq:Password", Password),
    ];

    private static ushort FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return (ushort)((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

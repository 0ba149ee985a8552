using System.Diagnostics;
using Ledgerlight.Client;
using Ledgerlight.Client.Generated.Models;
using Xunit;
using static Ledgerlight.Tests.Sdk.ScriptedServer;

namespace Ledgerlight.Tests.Sdk;

/// <summary>Retries, idempotency keys, credentials and enum tolerance, against a scripted HTTP server.</summary>
public class SdkClientBehaviourTests
{
    const string Customer = """{"id":"0190c0de-0000-7000-8000-000000000001","name":"Northwind"}""";

    static LedgerlightClient Client(ScriptedServer server, RetryOptions? retry = null, LedgerlightCredentials? credentials = null) =>
        new(new LedgerlightClientOptions
        {
            BaseUrl = new Uri(server.BaseUrl),
            Credentials = credentials ?? LedgerlightCredentials.ApiKey("test-key"),
            Retry = retry ?? new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(20) },
        });

    [Fact]
    public async Task A_429_is_retried_after_Retry_After_with_the_same_idempotency_key()
    {
        await using var server = await StartAsync(Status(429, retryAfter: "1"), Json(Customer));
        using var client = Client(server);
        var clock = Stopwatch.StartNew();

        var created = await client.V1.Customers.PostAsync(new ExternalCreateCustomerRequestV1Model { Name = "Northwind" });

        Assert.Equal("Northwind", created!.Name);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.False(string.IsNullOrEmpty(requests[0].IdempotencyKey));
        Assert.Equal(requests[0].IdempotencyKey, requests[1].IdempotencyKey);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(950), $"retried after {requests[1].At - requests[0].At}");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950));
    }

    [Fact]
    public async Task A_503_without_Retry_After_backs_off_exponentially_and_then_succeeds()
    {
        await using var server = await StartAsync(Status(503), Status(503), Status(503), Json(Customer));
        using var client = Client(server, new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100) });

        var customer = await client.V1.Customers[Guid.NewGuid()].GetAsync();

        Assert.Equal("Northwind", customer!.Name);
        var at = server.Requests.Select(r => r.At).ToArray();
        Assert.Equal(4, at.Length);
        // 100, 200, 400 ms (±20 % jitter): each wait longer than the one before.
        Assert.True(at[1] - at[0] >= TimeSpan.FromMilliseconds(75));
        Assert.True(at[2] - at[1] >= TimeSpan.FromMilliseconds(155));
        Assert.True(at[3] - at[2] >= TimeSpan.FromMilliseconds(315));
        Assert.All(server.Requests, r => Assert.Null(r.IdempotencyKey)); // reads carry no key
    }

    [Fact]
    public async Task Retries_stop_after_the_limit_and_the_caller_gets_the_typed_error()
    {
        await using var server = await StartAsync(Status(429, "0"), Status(429, "0"), Status(429, "0"), Json(Customer));
        using var client = Client(server, new RetryOptions { MaxRetries = 2 });

        var error = await Assert.ThrowsAsync<LedgerlightError>(() => client.V1.Customers.PostAsync(new ExternalCreateCustomerRequestV1Model { Name = "N" }));

        Assert.Equal(429, error.ResponseStatusCode);
        Assert.Equal("TOO_MANY_REQUESTS", error.Type);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_longest_wait_goes_straight_back_to_the_caller()
    {
        await using var server = await StartAsync(Status(429, retryAfter: "3600"), Json(Customer));
        using var client = Client(server, new RetryOptions { MaxDelay = TimeSpan.FromSeconds(5) });

        var error = await Assert.ThrowsAsync<LedgerlightError>(() => client.V1.Customers[Guid.NewGuid()].GetAsync());

        Assert.Equal(429, error.ResponseStatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_retried_then_the_connection_error_surfaces()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: every connect is refused
        var attempts = 0;
        using var client = new LedgerlightClient(new LedgerlightClientOptions
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}"), Credentials = LedgerlightCredentials.ApiKey("k"),
            Retry = new RetryOptions { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10) },
            PrimaryHandler = new CountingHandler(() => attempts++) { InnerHandler = new SocketsHttpHandler() },
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => client.V1.Customers.GetAsync());
        Assert.Equal(3, attempts);
    }

    sealed class CountingHandler(Action onSend) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            onSend();
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task Every_write_gets_its_own_key_and_a_key_the_caller_chose_is_kept()
    {
        await using var server = await StartAsync(Json(Customer), Json(Customer), Json(Customer));
        using var client = Client(server);

        await client.V1.Customers.PostAsync(new ExternalCreateCustomerRequestV1Model { Name = "A" });
        await client.V1.Customers.PostAsync(new ExternalCreateCustomerRequestV1Model { Name = "B" });
        await client.V1.Customers.PostAsync(new ExternalCreateCustomerRequestV1Model { Name = "C" },
            r => r.Headers.Add(IdempotencyKeyHandler.HeaderName, "order-4711"));

        var keys = server.Requests.Select(r => r.IdempotencyKey).ToArray();
        Assert.NotEqual(keys[0], keys[1]);
        Assert.True(Guid.TryParse(keys[0], out _));
        Assert.Equal("order-4711", keys[2]);
    }

    [Fact]
    public async Task Enum_values_the_client_does_not_know_yet_read_as_null_and_nothing_throws()
    {
        const string vendor = """
            {"vendorId":"0190c0de-0000-7000-8000-000000000002","name":"Future Co","status":"QUANTUM_VERIFIED","type":"EXTERNAL","country":"ZZ"}
            """;
        const string page = """
            {"records":[{"vendorId":"0190c0de-0000-7000-8000-000000000003","name":"Old Co","status":"ACTIVE"},
                        {"vendorId":"0190c0de-0000-7000-8000-000000000004","name":"New Co","status":"SOMETHING_NEW"}],
             "hasMore":false,"nextCursor":null}
            """;
        await using var server = await StartAsync(Json(vendor), Json(page));
        using var client = Client(server);

        var future = await client.V1.Vendors[Guid.NewGuid()].GetAsync();
        Assert.Equal("Future Co", future!.Name);
        Assert.Null(future.Status);
        Assert.Null(future.Country);
        Assert.Equal(ExternalVendorV1Model_type.EXTERNAL, future.Type); // known values still parse

        var all = await client.ListAllAsync<ExternalVendorV1Model>(async (cursor, ct) =>
            await client.V1.Vendors.GetAsync(r => r.QueryParameters.Cursor = cursor, ct)).ToListAsync();
        Assert.Equal([ExternalVendorV1Model_status.ACTIVE, null], all.Select(v => v.Status));
    }

    [Fact]
    public async Task Credentials_go_out_as_Light_documents_them()
    {
        await using var server = await StartAsync(Json(Customer), Json(Customer), Json(Customer));
        using (var byKey = Client(server, credentials: LedgerlightCredentials.ApiKey("llk_123")))
            await byKey.V1.Customers[Guid.NewGuid()].GetAsync();
        using (var byToken = LedgerlightClient.WithBearerToken(server.BaseUrl, "token-abc"))
            await byToken.V1.Customers[Guid.NewGuid()].GetAsync();
        var calls = 0;
        using (var refreshing = Client(server, credentials: LedgerlightCredentials.Bearer(_ => Task.FromResult($"fresh-{++calls}"))))
            await refreshing.V1.Customers[Guid.NewGuid()].GetAsync();

        Assert.Equal(["Basic llk_123", "Bearer token-abc", "Bearer fresh-1"], server.Requests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task Pagination_follows_nextCursor_from_0_until_the_last_page()
    {
        await using var server = await StartAsync(
            Json("""{"records":[{"name":"a"},{"name":"b"}],"hasMore":true,"nextCursor":"c1"}"""),
            Json("""{"records":[{"name":"c"}],"hasMore":true,"nextCursor":"c2"}"""),
            Json("""{"records":[],"hasMore":false,"nextCursor":null}"""));
        using var client = Client(server);
        var cursors = new List<string>();

        var names = await client.ListAllAsync<ExternalVendorV1Model>(async (cursor, ct) =>
        {
            cursors.Add(cursor);
            return await client.V1.Vendors.GetAsync(r => r.QueryParameters.Cursor = cursor, ct);
        }).Select(v => v.Name).ToListAsync();

        Assert.Equal(["a", "b", "c"], names);
        Assert.Equal(["0", "c1", "c2"], cursors);
    }
}

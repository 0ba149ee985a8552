using System.Runtime.CompilerServices;
using Ledgerlight.Client.Generated;
using Ledgerlight.Client.Generated.V1;
using Microsoft.Kiota.Http.HttpClientLibrary;
using KiotaRetryHandler = Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler;

namespace Ledgerlight.Client;

/// <summary>
/// The Ledgerlight / Light API client. <see cref="V1"/> is the generated, typed API (one property per
/// path segment, e.g. <c>client.V1.Vendors.PostAsync(...)</c>); around it this class adds the
/// credentials, retries with backoff on 429/503, an idempotency key on every write, and
/// <see cref="ListAllAsync{T}"/> for cursor pagination. Thread-safe; create one and reuse it.
/// </summary>
public sealed class LedgerlightClient : IDisposable
{
    readonly HttpClient _http;

    /// <summary>A client that authenticates with an API key.</summary>
    public LedgerlightClient(string baseUrl, string apiKey)
        : this(new LedgerlightClientOptions { BaseUrl = new Uri(baseUrl), Credentials = LedgerlightCredentials.ApiKey(apiKey) }) { }

    /// <summary>A client configured in full.</summary>
    public LedgerlightClient(LedgerlightClientOptions options)
    {
        // Ours replace Kiota's retry handler; the idempotency key goes on first (outermost), so
        // every retry of a write repeats the same key.
        var handlers = KiotaClientFactory.CreateDefaultHandlers().Where(h => h is not KiotaRetryHandler).ToList();
        handlers.InsertRange(0, [new IdempotencyKeyHandler(), new RetryHandler(options.Retry)]);
        _http = KiotaClientFactory.Create(handlers, options.PrimaryHandler ?? KiotaClientFactory.GetDefaultHttpMessageHandler());
        _http.Timeout = options.Timeout;
        var adapter = new HttpClientRequestAdapter(options.Credentials, httpClient: _http)
        {
            BaseUrl = options.BaseUrl.ToString().TrimEnd('/'),
        };
        Api = new LightApiClient(adapter);
    }

    /// <summary>A client that authenticates with an OAuth 2.0 access token.</summary>
    public static LedgerlightClient WithBearerToken(string baseUrl, string accessToken) =>
        new(new LedgerlightClientOptions { BaseUrl = new Uri(baseUrl), Credentials = LedgerlightCredentials.Bearer(accessToken) });

    /// <summary>The generated client (root of every path).</summary>
    public LightApiClient Api { get; }

    /// <summary>The <c>/v1</c> API: <c>client.V1.Vendors</c>, <c>client.V1.InvoicePayables[id].Approve</c>, ...</summary>
    public V1RequestBuilder V1 => Api.V1;

    /// <summary>
    /// Every record of a cursor-paginated list, fetching pages as the caller iterates. The callback
    /// fetches one page for the cursor it is given ("0" first, as Light asks, then each page's
    /// <c>nextCursor</c>); set the page size and any filter or sort in it:
    /// <code>
    /// await foreach (var vendor in client.ListAllAsync&lt;ExternalVendorV1Model&gt;(async (cursor, ct) =&gt;
    ///     await client.V1.Vendors.GetAsync(r =&gt; { r.QueryParameters.Cursor = cursor; r.QueryParameters.Limit = 200; }, ct)))
    /// </code>
    /// </summary>
    public async IAsyncEnumerable<T> ListAllAsync<T>(Func<string, CancellationToken, Task<ICursorPage<T>?>> fetchPage,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var cursor = "0";
        while (true)
        {
            var page = await fetchPage(cursor, cancellationToken);
            if (page is null) yield break;
            foreach (var record in page.Records ?? []) yield return record;
            if (page.HasMore == false || string.IsNullOrEmpty(page.NextCursor)) yield break;
            if (page.NextCursor == cursor) throw new InvalidOperationException($"The server returned cursor '{cursor}' twice; stopping rather than looping.");
            cursor = page.NextCursor;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

namespace Switchboard.Tests.Contract;

/// <summary>
/// Checks every response an <see cref="HttpClient"/> receives against the server's OpenAPI document and throws
/// <see cref="ContractViolationException"/> at the call that received a response the document does not describe.
/// The document is fetched once per server.
/// </summary>
public sealed class ContractCheckingHandler : DelegatingHandler
{
    /// <summary>Marks a request whose response a client already checked, so the server-side check skips it.</summary>
    public const string CheckedHeader = "X-Contract-Checked";

    private readonly Func<Task<ApiContract>> _contract;

    public ContractCheckingHandler(Func<Task<ApiContract>> contract, HttpMessageHandler? inner = null)
        : base(inner ?? new SocketsHttpHandler())
    {
        _contract = contract;
    }

    /// <summary>A client for <paramref name="baseAddress"/> that checks every response; 30 s timeout per request.</summary>
    public static HttpClient CreateClient(Uri baseAddress, HttpMessageHandler? inner = null) =>
        new(new ContractCheckingHandler(ContractCache.For(baseAddress, inner), inner))
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.TryAddWithoutValidation(CheckedHeader, "1");
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var contentType = response.Content.Headers.ContentType;
        // Only JSON is buffered and validated; for other bodies (downloads, event streams) whether there is one is enough.
        byte[] body = [];
        if (contentType?.MediaType is { } mediaType && ApiContract.IsJson(mediaType))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (contentType is not null && response.Content.Headers.ContentLength is not 0)
        {
            body = [0];
        }
        var contract = await _contract().ConfigureAwait(false);
        var violations = contract.Check(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, contentType?.ToString(), body);
        if (violations.Count > 0)
        {
            response.Dispose();
            throw new ContractViolationException(violations);
        }
        return response;
    }
}

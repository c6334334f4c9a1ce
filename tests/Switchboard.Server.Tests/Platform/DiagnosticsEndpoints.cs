using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Tests.Platform;

/// <summary>Test-only endpoints with a JSON body, mapped through the host's extra-endpoints hook.</summary>
internal static class DiagnosticsEndpoints
{
    public sealed record EchoRequest(string Name, int Count, List<string>? Tags);

    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/test").WithTags("Diagnostics");
        group.MapPost("/echo", Echo);
        group.MapPost("/small", Echo).WithMaxRequestBodySize(64);
        group.MapPost("/secured", Echo).RequireAuthorization();
        // Undocumented on purpose: it answers the 500 that no documented operation may declare.
        group.MapGet("/boom", Boom).ExcludeFromDescription();
        group.MapGet("/items/{id:int}", Item);
    }

    private static Ok<EchoRequest> Echo(EchoRequest request) => TypedResults.Ok(request);

    private static Ok<int> Item(int id, int count) => TypedResults.Ok(id * count);

    private static Ok Boom() => throw new InvalidOperationException("secret internal detail");
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Platform;

public sealed class RouteAuthTests
{
    [Fact]
    public async Task Every_endpoint_states_whether_it_needs_a_caller()
    {
        await using var server = await RunningServer.StartAsync();
        var endpoints = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

        var unstated = endpoints
            .Where(e => !e.Metadata.OfType<IAuthorizeData>().Any() && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => $"{string.Join(',', e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}")
            .ToArray();

        Assert.NotEmpty(endpoints);
        Assert.Empty(unstated);
    }
}

using GraphQL;

namespace Switchboard.Server.GraphQL;

/// <summary>Writes an execution result as <c>application/json</c> with the serializer that knows GraphQL's result shape.</summary>
internal sealed class GraphQLResult(ExecutionResult result, int status, IGraphQLSerializer serializer) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = status;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await serializer.WriteAsync(httpContext.Response.Body, result, httpContext.RequestAborted);
    }
}

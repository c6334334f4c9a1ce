using System.Text.Json;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Transport;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using Switchboard.Errors;
using Switchboard.Server.Broker.GraphQL;
using Switchboard.Server.Identity;

namespace Switchboard.Server.GraphQL;

/// <summary>
/// GraphQL at <c>/graphql</c> (POST JSON <c>{query, variables, operationName}</c>, or GET <c>?query=</c> for queries) and a minimal
/// console at <c>/graphql/ui</c>. Callers authenticate as for REST; resolvers call <see cref="Switchboard.Broker.BrokerService"/> with
/// the caller, so scopes and limits are the same, and a <see cref="SwitchboardException"/> becomes an error with <c>extensions.code</c>.
/// </summary>
internal static partial class GraphQLApi
{
    public const int MaxDepth = 10;
    public const int MaxComplexity = 5_000;

    private static readonly BrokerSchema Schema = CreateSchema();
    private static readonly DocumentExecuter Executer = new();
    private static readonly GraphQLSerializer Serializer = new();

    private static readonly IValidationRule[] Rules =
    [
        .. DocumentValidator.CoreRules,
        new ComplexityValidationRule(new ComplexityOptions { MaxDepth = MaxDepth, MaxComplexity = MaxComplexity }),
    ];

    private static readonly IValidationRule[] GetRules = [.. Rules, QueriesOnlyOverGet.Instance];

    public static IEndpointRouteBuilder MapGraphQLApi(this IEndpointRouteBuilder routes)
    {
        // Anonymous at the door: each field demands its caller and scope, and answers GraphQL errors, not a bare 401.
        var group = routes.MapGroup("/graphql").WithTags("GraphQL").ExcludeFromDescription().AllowAnonymous();
        group.MapPost("", PostAsync).WithName("GraphQL");
        group.MapGet("", GetAsync).WithName("GraphQLGet");
        group.MapGet("/ui", GraphQLPage.Result).WithName("GraphQLConsole");
        return routes;
    }

    private static async Task<IResult> PostAsync(HttpContext context, CancellationToken ct)
    {
        GraphQLRequest? request;
        try
        {
            request = await Serializer.ReadAsync<GraphQLRequest>(context.Request.Body, ct);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.MalformedJson.Code,
                "The body must be JSON {\"query\": \"…\", \"variables\": {…}, \"operationName\": \"…\"}.");
        }
        return await ExecuteAsync(context, request, Rules, ct);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string? query, string? variables, string? operationName, CancellationToken ct)
    {
        Inputs? inputs = null;
        if (!string.IsNullOrEmpty(variables))
        {
            try
            {
                inputs = Serializer.Deserialize<Inputs>(variables);
            }
            catch (JsonException)
            {
                return Error(StatusCodes.Status400BadRequest, ErrorCodes.MalformedJson.Code, "?variables= must be a JSON object.");
            }
        }
        return await ExecuteAsync(context, new GraphQLRequest { Query = query, Variables = inputs, OperationName = operationName }, GetRules, ct);
    }

    private static async Task<IResult> ExecuteAsync(HttpContext context, GraphQLRequest? request, IValidationRule[] rules, CancellationToken ct)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest.Code, "Send a GraphQL document in 'query'.");
        }
        Switchboard.Identity.Caller caller;
        try
        {
            caller = context.GetCaller();
        }
        catch (SwitchboardException ex)
        {
            return Error(ex.Error.Status, ex.Error.Code, ex.Message);
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GraphQLApi));
        var result = await Executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = Schema,
            Query = request.Query,
            Variables = request.Variables,
            OperationName = request.OperationName,
            RequestServices = context.RequestServices,
            User = context.User,
            UserContext = new Dictionary<string, object?> { [GraphQLContext.CallerKey] = caller },
            ValidationRules = rules,
            CancellationToken = ct,
            ThrowOnUnhandledException = false,
            UnhandledExceptionDelegate = failure =>
            {
                if (failure.OriginalException is SwitchboardException known)
                {
                    failure.Exception = ToError(known);
                }
                else
                {
                    LogUnhandled(logger, failure.OriginalException, failure.FieldContext?.FieldDefinition.Name ?? "(document)");
                    failure.ErrorMessage = "An unexpected error occurred; the trace id in the server's logs identifies it.";
                }
                return Task.CompletedTask;
            },
        });
        // A document that could not be parsed or validated was never executed: that is the client's mistake, a 400.
        return new GraphQLResult(result, result.Executed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, Serializer);
    }

    private static ExecutionError ToError(SwitchboardException exception)
    {
        var error = new ExecutionError(exception.Message) { Code = exception.Error.Code };
        error.Data["status"] = exception.Error.Status;
        foreach (var (key, value) in exception.Extensions)
        {
            error.Data[key] = value;
        }
        return error;
    }

    private static GraphQLResult Error(int status, string code, string message) =>
        new(new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }], Executed = false }, status, Serializer);

    private static BrokerSchema CreateSchema()
    {
        var schema = new BrokerSchema();
        schema.Initialize();
        return schema;
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "Unhandled error resolving GraphQL field {Field}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string field);
}

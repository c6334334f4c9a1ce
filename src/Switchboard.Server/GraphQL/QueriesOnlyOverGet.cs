using GraphQL.Validation;
using GraphQLParser.AST;

namespace Switchboard.Server.GraphQL;

/// <summary>A GET must not change anything (links and prefetches follow GETs), so mutations need POST.</summary>
internal sealed class QueriesOnlyOverGet : ValidationRuleBase
{
    public static QueriesOnlyOverGet Instance { get; } = new();

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation.Operation != OperationType.Query)
        {
            context.ReportError(new ValidationError($"Only queries may be sent with GET; send this {context.Operation.Operation.ToString().ToLowerInvariant()} with POST.")
            {
                Code = "method_not_allowed",
            });
        }
        return default;
    }
}

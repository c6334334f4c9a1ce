using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Tests.Platform;

/// <summary>A database that refuses work for now (too many connections, starting up) makes a 503 to retry, not a 500.</summary>
public sealed class TransientStorageErrorTests
{
    private sealed class FakeDbException(string message, bool transient) : DbException(message)
    {
        public override bool IsTransient => transient;
    }

    [Fact]
    public void A_transient_database_failure_is_a_503_unavailable_problem_also_when_wrapped()
    {
        var context = new DefaultHttpContext();

        var direct = ErrorHandling.Classify(context, new FakeDbException("53300: sorry, too many clients already", transient: true));
        var wrapped = ErrorHandling.Classify(context, new InvalidOperationException("publish failed", new FakeDbException("57P03: the database system is starting up", true)));
        var permanent = ErrorHandling.Classify(context, new FakeDbException("42P01: relation does not exist", transient: false));

        Assert.Equal(503, direct.Status);
        Assert.Equal("unavailable", direct.Extensions["code"]?.ToString());
        Assert.Contains("too many clients", direct.Detail, StringComparison.Ordinal);
        Assert.Equal(503, wrapped.Status);
        Assert.Equal(500, permanent.Status);
        Assert.DoesNotContain("relation", permanent.Detail ?? "", StringComparison.Ordinal);
    }
}

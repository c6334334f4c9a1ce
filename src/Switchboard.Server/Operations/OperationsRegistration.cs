namespace Switchboard.Server.Operations;

internal static class OperationsRegistration
{
    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder) => builder;

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthApi();
        return app;
    }
}

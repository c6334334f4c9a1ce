using Microsoft.AspNetCore.Http.Json;
using Switchboard.Errors;

namespace Switchboard.Server.Platform;

internal static class PlatformRegistration
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Problems produced by the framework (routing, auth, binding) get a code and trace id too.
            var problem = context.ProblemDetails;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var error = ErrorCodes.ForStatus(problem.Status ?? context.HttpContext.Response.StatusCode);
                problem.Extensions["code"] = error.Code;
                problem.Title ??= error.Title;
                problem.Type = $"https://switchboard.dev/problems/{error.Code}";
            }
            problem.Extensions["traceId"] = Problems.TraceId(context.HttpContext);
        });
        services.AddExceptionHandler<ErrorHandling>();
        // Bind failures throw so ErrorHandling can say precisely what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}

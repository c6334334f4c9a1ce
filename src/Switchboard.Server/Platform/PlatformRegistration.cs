using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Platform;

internal static class PlatformRegistration
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>();

        // Problems produced by the framework (routing, auth, binding) get a catalogue code, title and trace id too.
        services.AddProblemDetails(options => options.CustomizeProblemDetails = FrameworkProblems.Complete);
        services.AddExceptionHandler<ErrorHandling>();
        // Bind failures throw so ErrorHandling can say precisely what was wrong.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase;
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            // A missing non-nullable constructor parameter or a null in a non-nullable member is a 400 naming
            // the field, not a null deep in a service.
            options.SerializerOptions.RespectNullableAnnotations = true;
            options.SerializerOptions.TypeInfoResolver = (options.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(RequiredConstructorParameters.Apply);
        });

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpOptions>>((kestrel, http) =>
        {
            kestrel.AddServerHeader = false;
            if (http.Value.MaxRequestBodyBytes > 0)
            {
                kestrel.Limits.MaxRequestBodySize = http.Value.MaxRequestBodyBytes;
            }
        });

        var origins = builder.Configuration.GetSection($"{HttpOptions.Section}:Cors:Origins").Get<string[]>() ?? [];
        if (origins.Length > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy =>
            {
                if (origins.Contains("*"))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins(origins);
                }
                // The tus headers let browser upload clients (tus-js-client) create, resume and finish uploads cross-origin.
                policy.WithMethods("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
                    .WithHeaders("Authorization", "Content-Type", OpenApiDocumentation.ApiKeyHeader, "Idempotency-Key", "If-Match", "If-None-Match", "Range",
                        "traceparent", "Tus-Resumable", "Upload-Length", "Upload-Offset", "Upload-Metadata", "Upload-Checksum", "Upload-Defer-Length",
                        "X-HTTP-Method-Override", "X-Requested-With")
                    .WithExposedHeaders(SecurityHeaders.TraceIdHeader, "Retry-After", "Location", "ETag", "Content-Range", "Content-Disposition",
                        "Tus-Resumable", "Tus-Version", "Tus-Extension", "Tus-Max-Size", "Tus-Checksum-Algorithm", "Upload-Offset", "Upload-Length",
                        "Upload-Expires", "Upload-Metadata")
                    .SetPreflightMaxAge(TimeSpan.FromHours(1));
            }));
        }

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HttpOptions>>((options, http) => RateLimiting.Configure(options, http.Value.RateLimits));

        services.AddSwitchboardOpenApi();
        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        if (app.Services.GetService<Microsoft.AspNetCore.Cors.Infrastructure.ICorsService>() is not null)
        {
            app.UseCors();
        }
        app.UseMiddleware<RequestBodyLimit>();
        app.UseAuthentication();
        // After authentication so the limiter can partition by principal.
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapPlatform(this WebApplication app)
    {
        app.MapSwitchboardOpenApi();
        return app;
    }
}

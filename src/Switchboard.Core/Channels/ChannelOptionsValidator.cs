using Microsoft.Extensions.Options;
using Switchboard.Broker;

namespace Switchboard.Channels;

/// <summary>Checks <c>Channels</c> at start-up; every message starts with the configuration key it is about.</summary>
public sealed class ChannelOptionsValidator : IValidateOptions<ChannelOptions>
{
    private const string Prefix = ChannelOptions.Section;

    public ValidateOptionsResult Validate(string? name, ChannelOptions options)
    {
        var errors = new List<string>();
        foreach (var (instanceName, instance) in options.Instances)
        {
            ValidateInstance(errors, instanceName, instance, options.AllowedHosts);
        }
        foreach (var (routeName, route) in options.Routes)
        {
            var key = $"{Prefix}:Routes:{routeName}";
            if (routeName == ChannelRegistry.All || options.Instances.ContainsKey(routeName))
            {
                errors.Add($"{key}: the route name '{routeName}' is taken by {(routeName == ChannelRegistry.All ? "'all'" : "a channel instance")}; rename the route.");
            }
            if (route.Count == 0)
            {
                errors.Add($"{key}: list at least one channel instance.");
            }
            foreach (var member in route.Where(m => !options.Instances.ContainsKey(m)))
            {
                errors.Add($"{key}: '{member}' is not a channel instance under {Prefix}:Instances.");
            }
        }
        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (!OutboundAddressGuard.IsValidEntry(options.AllowedHosts[i]))
            {
                errors.Add($"{Prefix}:AllowedHosts:{i}: '{options.AllowedHosts[i]}' is not a host name, an IP address or a CIDR range.");
            }
        }
        ValidateDelivery(errors, options.Delivery);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateInstance(List<string> errors, string name, ChannelInstanceOptions instance, IReadOnlyList<string> allowedHosts)
    {
        var key = $"{Prefix}:Instances:{name}";
        if (!BrokerNames.IsValid(name) || name.Length > 64)
        {
            errors.Add($"{key}: the instance name must be 1–64 characters of A–Z, a–z, 0–9, '.', '_' and '-'.");
        }
        if (instance.Type is null || !ChannelTypes.All.Contains(instance.Type))
        {
            errors.Add($"{key}:Type: '{instance.Type}' must be one of {string.Join(", ", ChannelTypes.All)}.");
            return;
        }
        void Require(string? value, string field)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{key}:{field}: required for a {instance.Type} instance.");
            }
        }
        void Url(string? value, string field)
        {
            if (value is null)
            {
                return;
            }
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                Reachable(uri.Host, field);
            }
            else
            {
                errors.Add($"{key}:{field}: '{value}' must be an absolute http or https URL.");
            }
        }
        // The guard every send goes through, applied here so an address it would refuse fails the check rather than
        // every delivery; a name that only DNS resolves to a private address is still refused at send time.
        void Reachable(string? host, string field)
        {
            if (!string.IsNullOrWhiteSpace(host) && OutboundAddressGuard.RefusedWithoutLookup(allowedHosts, host) is { } refused)
            {
                errors.Add($"{key}:{field}: '{host}' is {refused}, a loopback or private address that deliveries may not reach; " +
                    $"add it to {Prefix}:AllowedHosts to allow it.");
            }
        }
        Url(instance.BaseUrl, "BaseUrl");
        switch (instance.Type)
        {
            case ChannelTypes.WhatsApp:
                Require(instance.Token, "Token");
                Require(instance.PhoneNumberId, "PhoneNumberId");
                break;
            case ChannelTypes.Instagram:
                Require(instance.Token, "Token");
                break;
            case ChannelTypes.Telegram:
                Require(instance.BotToken, "BotToken");
                break;
            case ChannelTypes.Slack or ChannelTypes.Discord or ChannelTypes.Webhook:
                Require(instance.WebhookUrl, "WebhookUrl");
                Url(instance.WebhookUrl, "WebhookUrl");
                break;
            case ChannelTypes.Email:
                Require(instance.Smtp.Host, "Smtp:Host");
                Require(instance.Smtp.From, "Smtp:From");
                Reachable(instance.Smtp.Host, "Smtp:Host");
                if (instance.Smtp.Port is < 1 or > 65535)
                {
                    errors.Add($"{key}:Smtp:Port: {instance.Smtp.Port} is outside 1–65535.");
                }
                if (instance.Smtp.Security.ToLowerInvariant() is not ("none" or "starttls" or "tls" or "ssl" or "auto"))
                {
                    errors.Add($"{key}:Smtp:Security: '{instance.Smtp.Security}' must be none, starttls, tls or auto.");
                }
                if (instance.Smtp.CertificateThumbprint is { } thumbprint
                    && !(EmailConnector.NormalizeThumbprint(thumbprint) is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit)))
                {
                    errors.Add($"{key}:Smtp:CertificateThumbprint: give the certificate's SHA-256 as 64 hex digits (colons and spaces allowed).");
                }
                if (instance.Smtp.From is { } from && !MimeKit.MailboxAddress.TryParse(from, out _))
                {
                    errors.Add($"{key}:Smtp:From: '{from}' is not an e-mail address.");
                }
                break;
        }
        if (instance.RatePerSecond < 0 || instance.RatePerSecond > 100_000)
        {
            errors.Add($"{key}:RatePerSecond: {instance.RatePerSecond} is outside 0–100000 (0 means no limit).");
        }
        if (instance.Timeout <= TimeSpan.Zero || instance.Timeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{key}:Timeout: {instance.Timeout} must be more than 0 and at most 00:05:00.");
        }
    }

    private static void ValidateDelivery(List<string> errors, DeliveryOptions delivery)
    {
        var key = $"{Prefix}:Delivery";
        if (delivery.Concurrency is < 1 or > 256)
        {
            errors.Add($"{key}:Concurrency: {delivery.Concurrency} is outside 1–256.");
        }
        if (delivery.LeaseSeconds is < 5 or > 43_200)
        {
            errors.Add($"{key}:LeaseSeconds: {delivery.LeaseSeconds} is outside 5–43200.");
        }
        if (delivery.MaxAttempts is < 1 or > 20)
        {
            errors.Add($"{key}:MaxAttempts: {delivery.MaxAttempts} is outside 1–20.");
        }
        if (delivery.RetryBaseDelay <= TimeSpan.Zero || delivery.RetryBaseDelay > delivery.RetryMaxDelay)
        {
            errors.Add($"{key}:RetryBaseDelay: {delivery.RetryBaseDelay} must be more than 0 and at most Channels:Delivery:RetryMaxDelay ({delivery.RetryMaxDelay}).");
        }
        if (delivery.BreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"{key}:BreakerFailureRatio: {delivery.BreakerFailureRatio} must be more than 0 and at most 1.");
        }
        if (delivery.BreakerMinimumThroughput < 2)
        {
            errors.Add($"{key}:BreakerMinimumThroughput: {delivery.BreakerMinimumThroughput} must be 2 or more.");
        }
        if (delivery.BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"{key}:BreakerSamplingDuration: {delivery.BreakerSamplingDuration} must be at least 00:00:00.5.");
        }
        if (delivery.BreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"{key}:BreakerBreakDuration: {delivery.BreakerBreakDuration} must be at least 00:00:00.5.");
        }
    }
}

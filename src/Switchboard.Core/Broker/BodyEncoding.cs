namespace Switchboard.Broker;

/// <summary>How a body travels in JSON. The broker stores bytes; this only says how to show them again.</summary>
public enum BodyEncoding
{
    Utf8 = 0,
    Base64 = 1,
}

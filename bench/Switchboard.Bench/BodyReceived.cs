namespace Switchboard.Bench;

/// Called by a consumer for every message it receives, before the ack, with the message body.
internal delegate void BodyReceived(ReadOnlySpan<byte> body);

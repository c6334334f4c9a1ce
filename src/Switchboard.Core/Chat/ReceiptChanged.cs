namespace Switchboard.Chat;

/// <param name="Changed">False when neither watermark moved forward: nothing was written.</param>
public sealed record ReceiptChanged(ReadReceipt Receipt, bool Changed);

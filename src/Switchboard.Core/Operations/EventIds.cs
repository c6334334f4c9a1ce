namespace Switchboard.Operations;

/// <summary>
/// Every <c>[LoggerMessage]</c> event id of the product, one nested class per feature with the range it owns
/// (<c>First</c>..<c>Last</c>). A new log message takes the next free id of its feature's range here; a new feature takes
/// a free range. A test checks that every id used is listed here, inside its feature's range, and used once.
/// </summary>
public static class EventIds
{
    /// <summary>The SQLite engine: writer, checkpoints, migrations.</summary>
    public static class Sqlite
    {
        public const int First = 1000;
        public const int Last = 1099;
        public const int BatchFailed = 1001;
        public const int RollbackFailed = 1002;
        public const int AfterCommitFailed = 1003;
        public const int CheckpointFailed = 1004;
        public const int MigrationApplied = 1010;
    }

    /// <summary>The PostgreSQL engine: connections, migrations.</summary>
    public static class Postgres
    {
        public const int First = 1100;
        public const int Last = 1199;
        public const int MigrationApplied = 1110;
    }

    /// <summary>Background loops shared by every feature (PeriodicLoop).</summary>
    public static class Hosting
    {
        public const int First = 1200;
        public const int Last = 1299;
        public const int PeriodicLoopFailed = 1201;
    }

    /// <summary>HTTP platform: problem details, unhandled errors.</summary>
    public static class Platform
    {
        public const int First = 2000;
        public const int Last = 2099;
        public const int Unhandled = 2001;
        public const int ReadinessCheckFailed = 2010;
    }

    /// <summary>The broker's SignalR hub (Server/Broker).</summary>
    public static class BrokerHub
    {
        public const int First = 2100;
        public const int Last = 2199;
        public const int ConsumerFailed = 2151;
        public const int ReleaseFailed = 2152;
        public const int SubscriptionIdle = 2153;
    }

    /// <summary>Certificates for HTTPS.</summary>
    public static class Tls
    {
        public const int First = 2800;
        public const int Last = 2899;
        public const int CertificateGenerated = 2801;
        public const int CertificateReused = 2802;
        public const int CertificateConfigured = 2803;
    }

    /// <summary>Users, tokens, signing keys, the bootstrap admin.</summary>
    public static class Identity
    {
        public const int First = 3000;
        public const int Last = 3099;
        public const int KeyCreated = 3001;
        public const int KeyPruned = 3002;
        public const int KeyUnreadable = 3003;
        public const int UserCreated = 3010;
        public const int LockedOut = 3011;
        public const int UserDisabled = 3012;
        public const int Reuse = 3020;
        public const int GeneratedAdmin = 3030;
        public const int ConfiguredAdmin = 3031;
    }

    /// <summary>The broker's stores: PostgreSQL 3100-3199, SQLite 3200-3299.</summary>
    public static class BrokerStorage
    {
        public const int First = 3100;
        public const int Last = 3299;
        public const int PostgresLeasesEnded = 3101;
        public const int PostgresSweepFailed = 3102;
        public const int PostgresRejectedDropped = 3103;
        public const int PostgresSweeperElected = 3104;
        public const int PostgresSweeperLost = 3105;
        public const int ListenerLost = 3110;
        public const int ListenerRestored = 3111;
        public const int AnnounceFailed = 3112;
        public const int SqliteLoaded = 3201;
        public const int SqliteSweepFailed = 3202;
        public const int SqliteRejectedDropped = 3203;
    }

    /// <summary>Conversations, messages, contacts, typing.</summary>
    public static class Chat
    {
        public const int First = 4100;
        public const int Last = 4199;
        public const int LiveFailed = 4101;
        public const int ConversationCreated = 4102;
        public const int ConversationDeleted = 4103;
        public const int ContactMessageReceived = 4104;
        public const int InboxUserMissing = 4105;
        public const int TypingFailed = 4106;
    }

    /// <summary>Who is online.</summary>
    public static class Presence
    {
        public const int First = 4500;
        public const int Last = 4599;
        public const int StoreFailed = 4501;
        public const int NotifyFailed = 4502;
    }

    /// <summary>System events published to topics.</summary>
    public static class Events
    {
        public const int First = 5000;
        public const int Last = 5099;
        public const int PublishFailed = 5001;
    }

    /// <summary>The broker service and its activity sampling.</summary>
    public static class Broker
    {
        public const int First = 5100;
        public const int Last = 5199;
    }

    /// <summary>Key-value buckets.</summary>
    public static class Kv
    {
        public const int First = 6000;
        public const int Last = 6099;
        public const int ExpiredKeysRemoved = 6001;
        public const int FlushFailed = 6002;
    }

    /// <summary>Channel delivery, connectors, webhooks.</summary>
    public static class Channels
    {
        public const int First = 6400;
        public const int Last = 6499;
        public const int WorkersStarted = 6401;
        public const int AttemptFailed = 6402;
        public const int DeadLettered = 6403;
        public const int JobFailed = 6404;
        public const int WorkerFaulted = 6405;
        public const int LiveStatusFailed = 6406;
        public const int Requeued = 6407;
        public const int WebhookRefused = 6408;
    }

    /// <summary>The GraphQL endpoint.</summary>
    public static class GraphQL
    {
        public const int First = 7000;
        public const int Last = 7099;
        public const int Unhandled = 7001;
    }

    /// <summary>Monitors, alert rules and incidents; 8020–8029 the PostgreSQL leader election.</summary>
    public static class Monitoring
    {
        public const int First = 8000;
        public const int Last = 8099;
        public const int Leading = 8001;
        public const int StoppedLeading = 8002;
        public const int LoopFailed = 8003;
        public const int ProbeThrew = 8004;
        public const int Transition = 8005;
        public const int NoticeDeferred = 8006;
        public const int LeaderElected = 8021;
        public const int LeaderLost = 8022;
        public const int LeaderCampaignFailed = 8023;
    }

    /// <summary>Node registration and draining (8100–8149); the gateway (8150–8199).</summary>
    public static class Cluster
    {
        public const int First = 8100;
        public const int Last = 8199;
        public const int NodeRegistering = 8101;
        public const int NodeDraining = 8102;
        public const int NodeBeatFailed = 8103;
        public const int GatewayRegistryChanged = 8151;
        public const int GatewayRegistryUnreadable = 8152;
        public const int GatewayAccess = 8161;
    }

    /// <summary>The web console (Server/Console).</summary>
    public static class Console
    {
        public const int First = 9500;
        public const int Last = 9599;
        public const int RefreshFailed = 9501;
    }

    /// <summary>Resumable uploads and downloads.</summary>
    public static class Files
    {
        public const int First = 9400;
        public const int Last = 9499;
        public const int UploadCreated = 9401;
        public const int Completed = 9402;
        public const int ChecksumMismatch = 9403;
        public const int Interrupted = 9404;
        public const int ContentMissing = 9405;
        public const int MaintenanceSwept = 9411;
    }
}

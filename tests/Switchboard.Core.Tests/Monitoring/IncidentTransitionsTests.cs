using Switchboard.Monitoring;

namespace Switchboard.Core.Tests.Monitoring;

/// <summary>Repeat, escalation, acknowledgement and resolution as functions of the clock: no waiting.</summary>
public sealed class IncidentTransitionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static Incident Opened(int? escalateAfterRepeats = null, int? escalateAfterSeconds = null) => IncidentTransitions.Open(new Incident
    {
        Id = StableId.From("rule\napi\n1"), RuleId = "rule", Subject = "api", Status = Incident.Firing, Severity = "critical", Title = "api is down",
        Routes = ["oncall", "managers"], RepeatIntervalSeconds = 60, EscalateAfterRepeats = escalateAfterRepeats, EscalateAfterSeconds = escalateAfterSeconds,
    }, "fired", null, T0).Incident;

    [Fact]
    public void A_firing_incident_repeats_at_its_interval_then_escalates_after_its_repeats()
    {
        var incident = Opened(escalateAfterRepeats: 1);
        Assert.Null(IncidentTransitions.Tick(incident, T0.AddSeconds(59)));

        var repeat = IncidentTransitions.Tick(incident, T0.AddSeconds(60))!;
        Assert.Equal("repeat", repeat.Notices.Single().Kind);
        Assert.Equal("oncall", repeat.Notices.Single().Route);

        var escalation = IncidentTransitions.Tick(repeat.Incident, T0.AddSeconds(120))!;
        Assert.Equal(IncidentTransitions.Escalated, escalation.Events.Single().Kind);
        Assert.Equal("managers", escalation.Notices.Single().Route);
        Assert.Equal(1, escalation.Incident.Level);
        Assert.Equal(repeat.Incident.Version, escalation.ExpectedVersion);
    }

    [Fact]
    public void Escalation_after_a_time_comes_before_the_next_repeat_and_an_acknowledgement_stops_both()
    {
        var incident = Opened(escalateAfterSeconds: 30);
        var escalated = IncidentTransitions.Tick(incident, T0.AddSeconds(30))!;
        Assert.Equal("escalated", escalated.Notices.Single().Kind);

        var acked = IncidentTransitions.Acknowledge(incident, "alice", null, T0.AddSeconds(10))!;
        Assert.Null(IncidentTransitions.Tick(acked.Incident, T0.AddHours(5)));
        Assert.Null(IncidentTransitions.Acknowledge(acked.Incident, "bob", null, T0.AddSeconds(11)));
    }

    [Fact]
    public void Resolution_tells_every_route_that_was_told_and_the_same_transition_yields_the_same_keys()
    {
        var escalated = IncidentTransitions.Tick(Opened(escalateAfterSeconds: 30), T0.AddSeconds(30))!.Incident;

        var first = IncidentTransitions.Resolve(escalated, "ok again", null, T0.AddMinutes(5), null)!;
        var again = IncidentTransitions.Resolve(escalated, "ok again", null, T0.AddMinutes(6), null)!;

        Assert.Equal(["oncall", "managers"], first.Notices.Select(n => n.Route));
        Assert.Equal(first.Notices.Select(n => n.Key), again.Notices.Select(n => n.Key));
        Assert.Null(IncidentTransitions.Resolve(first.Incident, "twice", null, T0.AddMinutes(7), null));
    }

    [Fact]
    public void A_cron_maintenance_window_is_active_for_its_duration_after_each_occurrence()
    {
        var window = new Silence
        {
            Id = Guid.NewGuid(), Kind = Silence.MaintenanceKind, Matchers = [new("team", "=", "payments")], StartsAt = T0.AddDays(-1), EndsAt = T0.AddDays(1),
            Cron = "0 2 * * *", DurationSeconds = 3600,
        };
        var night = new DateTimeOffset(2026, 3, 1, 2, 0, 0, TimeSpan.Zero);

        Assert.True(window.IsActive(night.AddMinutes(30)));
        Assert.False(window.IsActive(night.AddMinutes(61)));
        Assert.False(window.IsActive(night.AddMinutes(-1)));
        Assert.True(window.Matches(new Dictionary<string, string> { ["team"] = "payments" }));
        Assert.False(window.Matches(new Dictionary<string, string> { ["team"] = "search" }));
    }
}

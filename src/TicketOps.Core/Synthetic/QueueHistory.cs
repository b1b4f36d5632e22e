using System.Globalization;
using Bogus;
using TicketOps.Core.Import;

namespace TicketOps.Core.Synthetic;

/// <summary>
/// The queue side of the demo data: who owned each case over time (tier 1 → tier 2 → engineering, with
/// the occasional misroute that bounces back) and the incident bursts of the sudden families. It draws
/// from its own random source, seeded from the run's seed, so that adding it left every other field of
/// the generated cases as it was: same seed, same file.
/// </summary>
internal sealed class QueueHistory(int seed)
{
    /// <summary>The team that takes over a case linked to an incident.</summary>
    public const string IncidentTeam = "Incident response";

    /// <summary>The engineering team escalations go to.</summary>
    public const string EngineeringTeam = "Engineering";

    /// <summary>Share of a sudden family's first-month cases that arrive in the release-day burst (at least <see cref="MinBurstCases"/>).</summary>
    public const double BurstShare = 0.4;

    /// <summary>The fewest cases an incident burst has when the family has that many in its first month.</summary>
    public const int MinBurstCases = 5;

    /// <summary>How long the burst lasts: all its cases arrive within these hours.</summary>
    public static readonly TimeSpan BurstLength = TimeSpan.FromHours(4);

    // A different stream from the composer's (same seed, shifted), so the existing fields keep their draws.
    private readonly Randomizer _random = new(unchecked((seed * 31) + 0x51EED));

    /// <summary>
    /// The ownership history of a case from its timeline and final team: assigned to tier 1 (or straight to
    /// tier 2 for about a third of the tier-2 cases), moved to tier 2 when the first evidence showed it was
    /// deep, to engineering when escalated, back to support and to engineering again when the escalation was
    /// returned, and now and then sent to tier 2 and back (a misroute: the bounce the report counts).
    /// </summary>
    public List<HandoffRecord> Handoffs(CaseRecord record)
    {
        var handoffs = new List<HandoffRecord>(4);
        string team = record.Team ?? "Tier 1";
        DateTime assigned = record.AssignedAt ?? record.CreatedAt!.Value;
        if (!team.StartsWith("Tier ", StringComparison.Ordinal))
        {
            handoffs.Add(new HandoffRecord { At = assigned, Team = team });
        }
        else
        {
            string region = team[7..];
            string tier1 = "Tier 1 " + region;
            string tier2 = "Tier 2 " + region;
            DateTime moved = record.FirstEvidenceAt ?? assigned.AddHours(1);
            bool deep = team.StartsWith("Tier 2", StringComparison.Ordinal);
            if (deep && Chance(0.35))
            {
                handoffs.Add(new HandoffRecord { At = assigned, Team = tier2 });
            }
            else
            {
                handoffs.Add(new HandoffRecord { At = assigned, Team = tier1 });
                if (Chance(deep ? 0.1 : 0.07))
                {
                    // Sent to tier 2 too early and sent back for the basics: one wasted hop each way.
                    handoffs.Add(new HandoffRecord { At = assigned.AddMinutes(_random.Int(20, 120)), Team = tier2 });
                    handoffs.Add(new HandoffRecord { At = assigned.AddMinutes(_random.Int(150, 300)), Team = tier1 });
                }

                if (deep)
                {
                    handoffs.Add(new HandoffRecord { At = Later(moved, handoffs[^1].At), Team = tier2 });
                }
            }
        }

        if (record.EscalatedAt is { } escalated)
        {
            DateTime at = Later(escalated, handoffs[^1].At);
            handoffs.Add(new HandoffRecord { At = at, Team = EngineeringTeam, Tier = "engineering" });
            if (record.EscalationReturned == true)
            {
                string support = handoffs[^2].Team ?? team;
                handoffs.Add(new HandoffRecord { At = at.AddHours(_random.Int(2, 20)), Team = support });
                handoffs.Add(new HandoffRecord { At = at.AddHours(_random.Int(24, 40)), Team = EngineeringTeam, Tier = "engineering" });
            }
        }

        // Nothing after the case was resolved or the window ended.
        DateTime limit = record.ResolvedAt ?? DateTime.MaxValue;
        handoffs.RemoveAll(h => h.At > limit);
        return handoffs;
    }

    /// <summary>
    /// Turns the first cases of a sudden family's release month into an incident: the first
    /// <see cref="BurstShare"/> of them (at least <see cref="MinBurstCases"/>) arrive within
    /// <see cref="BurstLength"/> on the release's second day, from different customers as drawn, and are linked
    /// to one incident that incident response takes over. Every timestamp of a moved case moves with it.
    /// </summary>
    /// <param name="familyCases">The family's cases of that month, in created order.</param>
    /// <param name="monthStart">Start of the month (UTC).</param>
    public void Burst(List<CaseRecord> familyCases, DateTime monthStart)
    {
        if (familyCases.Count == 0)
        {
            return;
        }

        int take = Math.Min(familyCases.Count, Math.Max(MinBurstCases, (int)Math.Ceiling(familyCases.Count * BurstShare)));
        DateTime start = monthStart.AddDays(1).AddHours(_random.Int(8, 13)).AddMinutes(_random.Int(0, 59));
        double[] offsets = [.. Enumerable.Range(0, take).Select(_ => _random.Double() * BurstLength.TotalSeconds).Order()];
        string incident = "INC-" + familyCases[0].EvalFamily + "-" + monthStart.ToString("yyyyMM", CultureInfo.InvariantCulture);
        DateTime declared = start.AddSeconds(offsets[Math.Min(take - 1, 2)]).AddMinutes(30);
        for (int i = 0; i < take; i++)
        {
            CaseRecord record = familyCases[i];
            TimeSpan shift = start.AddSeconds((long)offsets[i]) - record.CreatedAt!.Value;
            Shift(record, shift);
            record.IncidentId = incident;
            DateTime joined = Later(declared, record.AssignedAt ?? record.CreatedAt!.Value);
            if (record.ResolvedAt is null || joined < record.ResolvedAt)
            {
                record.Handoffs ??= [];
                record.Handoffs.RemoveAll(h => h.At > joined);
                record.Handoffs.Add(new HandoffRecord { At = joined, Team = IncidentTeam, Tier = "incident" });
            }
        }
    }

    private static void Shift(CaseRecord record, TimeSpan shift)
    {
        record.CreatedAt += shift;
        record.AssignedAt += shift;
        record.FirstEvidenceAt += shift;
        record.EscalatedAt += shift;
        record.ResolvedAt += shift;
        foreach (CommentRecord comment in record.Comments ?? [])
        {
            comment.CreatedAt += shift;
        }

        foreach (HandoffRecord handoff in record.Handoffs ?? [])
        {
            handoff.At += shift;
        }
    }

    private static DateTime Later(DateTime a, DateTime? b) => b is { } other && other > a ? other.AddMinutes(1) : a;

    private bool Chance(double probability) => _random.Double() < probability;
}

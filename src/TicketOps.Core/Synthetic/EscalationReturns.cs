using Bogus;
using TicketOps.Core.Import;

namespace TicketOps.Core.Synthetic;

/// <summary>
/// What the receiving team asked for when it returned a demo escalation: the next step of the family's
/// investigation that the thin packet lacked (the generator returns escalations whose evidence stopped
/// early), sometimes a second one, and for about a quarter unclear ownership. Drawn from its own random
/// source so every other generated field keeps its draws (same seed, same file as before, plus this field).
/// </summary>
internal sealed class EscalationReturns(int seed)
{
    // Shifted differently from QueueHistory's stream, so the two never move in step.
    private readonly Randomizer _random = new(unchecked((seed * 37) + 0xA5C5));

    /// <summary>The asks of a returned escalation of <paramref name="family"/> (null for a one-off); null when it was not returned.</summary>
    public List<EscalationAskRecord>? Asks(CaseRecord record, IssueFamily? family)
    {
        if (record.EscalationReturned != true)
        {
            return null;
        }

        IReadOnlyList<string> investigation = family?.EvidenceSteps ?? TicketPhrases.GenericEvidence;
        List<string> missing = [.. investigation.Where(step => !(record.EvidenceSteps ?? []).Any(taken => taken.StartsWith(step[..Math.Min(step.Length, 30)], StringComparison.OrdinalIgnoreCase)))];
        var asks = new List<EscalationAskRecord>(3);
        bool unclear = _random.Double() < (family is null ? 0.5 : 0.25);
        if (missing.Count > 0 && (!unclear || _random.Double() < 0.5))
        {
            asks.Add(new EscalationAskRecord { Kind = "missing_evidence", Item = missing[0] });
            if (missing.Count > 1 && _random.Double() < 0.15)
            {
                asks.Add(new EscalationAskRecord { Kind = "missing_evidence", Item = missing[1] });
            }
        }

        if (unclear || asks.Count == 0)
        {
            asks.Add(new EscalationAskRecord { Kind = "unclear_ownership" });
        }

        return asks;
    }
}

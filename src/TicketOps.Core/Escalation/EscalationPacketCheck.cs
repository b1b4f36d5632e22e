using System.Text.RegularExpressions;
using TicketOps.Core.Knowledge;
using TicketOps.Core.Matching;

namespace TicketOps.Core.Escalation;

/// <summary>
/// Checks an <see cref="EscalationPacket"/> before a case goes to engineering and names every missing piece:
/// an empty hypothesis, open question or customer impact, no evidence at all, and each item of the
/// template's "Evidence to gather first" and "Escalation packet" sections that no evidence line shows.
/// </summary>
/// <remarks>
/// <para>
/// An item is <b>shown</b> by an evidence line (or by the case's environment, taken as one line) when they
/// share at least two distinct content stems, or every stem when the item has fewer than two. Stems come from
/// the matcher's analyzer (stop words removed, Porter stemming, identifiers split), minus
/// <see cref="InstructionWords"/>, verbs that say how to gather evidence ("check", "confirm") rather than
/// what the evidence is. The overlap is counted per line on purpose: "audit" from one step and "log" from
/// another do not add up to "the audit log line"; a single step has to show it.
/// </para>
/// <para>
/// Two stems, not a share of the item: template items are long ("The exact error code from the login audit
/// log for one affected user (for example ...)") while evidence steps are short ("Confirm the error code in
/// the login audit log"), so a share would fail good evidence, and one stem ("log") would pass anything.
/// </para>
/// <para>
/// Text in parentheses is left out of an item: it holds examples ("for example ERR_SAML_CLOCK_SKEW,
/// redirect_uri_mismatch") of which one case shows at most one, and whose words ("clock", "skew") would let
/// an unrelated step show the item.
/// </para>
/// <para>
/// Packet items that name the hypothesis, the open question or the customer impact are what the packet's own
/// fields hold; they are checked as those fields, not against the evidence.
/// </para>
/// </remarks>
public static partial class EscalationPacketCheck
{
    /// <summary>Template sections whose items the evidence must show.</summary>
    public static IReadOnlyList<string> CheckedSections { get; } = ["Evidence to gather first", "Escalation packet"];

    /// <summary>Stems ignored when comparing an item with evidence: how to gather, not what was gathered.</summary>
    public static IReadOnlySet<string> InstructionWords { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "check", "confirm", "compar", "ask", "whether", "what", "exact", "exampl", "on", "one", "now", "recent", "first",
        "whi", "how", "which", "look", "get", "make", "sure", "remov", "written", "write", "cobaltlin",
    };

    private static readonly TechnicalTextAnalyzer s_analyzer = new(stem: true);

    /// <summary>Checks <paramref name="packet"/> against the fields it must hold and against <paramref name="template"/>.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="template">The investigation template it follows, or null (then only the fields are checked).</param>
    public static EscalationCheckResult Check(EscalationPacket packet, KnowledgeArticle? template)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var missing = new List<MissingPiece>();
        if (packet.Evidence.Count == 0)
        {
            missing.Add(new(MissingPieceKind.Evidence, null, "No evidence gathered: the case has no evidence steps and none was added."));
        }

        if (string.IsNullOrWhiteSpace(packet.Hypothesis))
        {
            missing.Add(new(MissingPieceKind.Hypothesis, null, "Current hypothesis is empty: name the component, the mechanism and how to confirm it."));
        }

        if (string.IsNullOrWhiteSpace(packet.OpenQuestion))
        {
            missing.Add(new(MissingPieceKind.OpenQuestion, null, "Open question for engineering is empty: ask one question, in one sentence."));
        }

        if (string.IsNullOrWhiteSpace(packet.CustomerImpact))
        {
            missing.Add(new(MissingPieceKind.CustomerImpact, null, "Customer impact is empty: how many users cannot work, and is there a workaround."));
        }

        if (template is not null)
        {
            List<HashSet<string>> lines = [.. packet.Evidence.Select(Stems), Stems(string.Join(' ', packet.Environment.Values()))];
            foreach (string heading in CheckedSections)
            {
                foreach (string item in Items(template.Section(heading)))
                {
                    if (IsPacketField(item) || lines.Any(line => Shows(line, Stems(Parenthesised().Replace(item, " ")))))
                    {
                        continue;
                    }

                    missing.Add(new(MissingPieceKind.TemplateItem, heading, item));
                }
            }
        }

        return new EscalationCheckResult(template?.Id, missing);
    }

    /// <summary>
    /// The item of <paramref name="template"/>'s checked sections that an ask of the receiving team names:
    /// the one sharing the most content stems with it, at least two (or all of the shorter side's) and at
    /// least half of the ask's; null when no item does (the template does not ask for it yet).
    /// </summary>
    /// <param name="template">The investigation template.</param>
    /// <param name="ask">What the receiving team asked for, in its words.</param>
    public static (string Section, string Item)? ItemNamedBy(KnowledgeArticle template, string ask)
    {
        ArgumentNullException.ThrowIfNull(template);
        HashSet<string> asked = Stems(Parenthesised().Replace(ask ?? "", " "));
        (string Section, string Item)? best = null;
        int bestShared = 0;
        foreach (string heading in CheckedSections)
        {
            foreach (string item in Items(template.Section(heading)).Where(i => !IsPacketField(i)))
            {
                HashSet<string> stems = Stems(Parenthesised().Replace(item, " "));
                int shared = stems.Count(asked.Contains);
                // Half of the ask's own stems too: "customer", "server", "IdP" are in many items, so two
                // shared stems alone tied "NTP clock drift on the customer's IdP server" to "what changed on the customer side".
                if (shared > bestShared && shared >= Math.Max(Math.Min(2, Math.Min(stems.Count, asked.Count)), (asked.Count + 1) / 2))
                {
                    (best, bestShared) = ((heading, item), shared);
                }
            }
        }

        return best;
    }

    /// <summary>Whether an evidence line with <paramref name="lineStems"/> shows an item with <paramref name="itemStems"/>.</summary>
    internal static bool Shows(HashSet<string> lineStems, HashSet<string> itemStems)
    {
        if (itemStems.Count == 0)
        {
            return true;
        }

        int shared = itemStems.Count(lineStems.Contains);
        return shared >= Math.Min(2, itemStems.Count);
    }

    /// <summary>Content stems of <paramref name="text"/>.</summary>
    internal static HashSet<string> Stems(string text) =>
        s_analyzer.Terms(text).Where(t => !InstructionWords.Contains(t) && !t.All(char.IsDigit)).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The items of a section: each list item (<c>- </c>, <c>* </c>, <c>1. </c>) with its continuation lines,
    /// or each paragraph when the section has no list.
    /// </summary>
    /// <param name="body">The section's Markdown, or null.</param>
    public static IReadOnlyList<string> Items(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return [];
        }

        var items = new List<string>();
        var current = new List<string>();
        bool list = body.Split('\n').Any(l => ListItem().IsMatch(l));
        void Flush()
        {
            if (current.Count > 0)
            {
                items.Add(string.Join(' ', current));
                current.Clear();
            }
        }

        foreach (string raw in body.Split('\n'))
        {
            string line = raw.Trim();
            Match bullet = ListItem().Match(raw);
            if (bullet.Success)
            {
                Flush();
                current.Add(raw[bullet.Length..].Trim());
            }
            else if (line.Length == 0)
            {
                Flush();
            }
            else if (list && current.Count == 0)
            {
                // Text before the first item introduces the list; it is not an item itself.
                continue;
            }
            else
            {
                current.Add(line);
            }
        }

        Flush();
        return items;
    }

    private static bool IsPacketField(string item) =>
        item.Contains("hypothes", StringComparison.OrdinalIgnoreCase)
        || item.Contains("open question", StringComparison.OrdinalIgnoreCase)
        || item.Contains("impact", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"^\s*(?:[-*+]|\d+[.)])\s+")]
    private static partial Regex ListItem();
}

/// <summary>The outcome of <see cref="EscalationPacketCheck.Check"/>.</summary>
/// <param name="TemplateId">The template checked against, or null.</param>
/// <param name="Missing">Every missing piece, fields first, then template items in template order.</param>
public sealed record EscalationCheckResult(string? TemplateId, IReadOnlyList<MissingPiece> Missing)
{
    /// <summary>True when nothing is missing.</summary>
    public bool IsComplete => Missing.Count == 0;

    /// <summary>The missing pieces as one message for an agent: what to add before escalating.</summary>
    public string Describe() => IsComplete
        ? "The escalation packet is complete."
        : "The escalation packet is incomplete; add before escalating:" + string.Concat(Missing.Select(m => "\n  - " + m.Describe()));
}

/// <summary>One missing piece of an escalation packet.</summary>
/// <param name="Kind">Which rule found it.</param>
/// <param name="Section">For template items, the template section the item is from.</param>
/// <param name="Text">What is missing (for template items, the item's text).</param>
public sealed record MissingPiece(MissingPieceKind Kind, string? Section, string Text)
{
    /// <summary>One line for people.</summary>
    public string Describe() => Section is null ? Text : $"{Section}: {Text}";
}

/// <summary>The rules of <see cref="EscalationPacketCheck"/>.</summary>
public enum MissingPieceKind
{
    /// <summary>No evidence at all.</summary>
    Evidence,

    /// <summary>Empty hypothesis.</summary>
    Hypothesis,

    /// <summary>Empty open question.</summary>
    OpenQuestion,

    /// <summary>Empty customer impact.</summary>
    CustomerImpact,

    /// <summary>A template item no evidence line shows.</summary>
    TemplateItem,
}

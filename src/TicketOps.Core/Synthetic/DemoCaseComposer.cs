using System.Globalization;
using System.Text;
using Bogus;
using TicketOps.Core.Import;

namespace TicketOps.Core.Synthetic;

/// <summary>
/// One generation run: owns the seeded random source and the reusable buffers. Not thread-safe; every
/// <see cref="DemoCaseGenerator.Generate"/> call creates its own.
/// </summary>
internal sealed class DemoCaseComposer
{
    private const int NamePoolSize = 256;

    private static readonly Lazy<CompiledFamily[]> s_families = new(CompileFamilies);
    private static readonly Lazy<PhraseTemplates> s_phrases = new(() => new PhraseTemplates());

    private readonly DemoDataOptions _options;
    private readonly Randomizer _random;
    private readonly DateTime _start;
    private readonly DateTime _end;
    private readonly CompiledFamily[] _families;
    private readonly PhraseTemplates _phrases;
    private readonly TemplateSlots _slots = new();
    private readonly StringBuilder _sb = new(1024);
    private readonly List<string> _middle = new(8);
    private readonly string[] _firstNames;
    private readonly string[] _lastNames;
    private readonly string[] _companies;
    private readonly Faker _faker;
    private readonly QueueHistory _queue;
    private readonly EscalationReturns _returns;

    public DemoCaseComposer(DemoDataOptions options)
    {
        _options = options;
        _end = TruncateToSeconds(options.UtcEnd);
        _start = _end.AddMonths(-DemoDataOptions.WindowMonths);
        _random = new Randomizer(options.Seed);

        // Bogus' own locale data gives realistic names; they are drawn once into pools from the run's own
        // Randomizer (never the global Randomizer.Seed) so that runs and parallel tests stay independent.
        _faker = new Faker("en") { Random = _random };
        _firstNames = Pool(() => _faker.Name.FirstName());
        _lastNames = Pool(() => _faker.Name.LastName());
        _companies = Pool(() => _faker.Company.CompanyName());
        _families = s_families.Value;
        _phrases = s_phrases.Value;
        _queue = new QueueHistory(options.Seed);
        _returns = new EscalationReturns(options.Seed);
    }

    public IEnumerable<CaseRecord> Compose()
    {
        int months = DemoDataOptions.WindowMonths;
        var monthWeights = new double[months][];
        var monthTotals = new double[months];
        for (int m = 0; m < months; m++)
        {
            var weights = new double[_families.Length];
            double familyTotal = 0;
            for (int f = 0; f < _families.Length; f++)
            {
                var family = _families[f].Family;
                weights[f] = family.Weight * DemoCaseGenerator.TrendFactor(family.Trend, family.StartMonth, m);
                familyTotal += weights[f];
            }

            monthWeights[m] = weights;
            monthTotals[m] = familyTotal / (1 - DemoCaseGenerator.OneOffShare);
        }

        int[] counts = Apportion(_options.Cases, monthTotals);
        int sequence = 0;
        for (int m = 0; m < months; m++)
        {
            DateTime from = _start.AddMonths(m);
            DateTime to = _start.AddMonths(m + 1);
            long span = (to - from).Ticks / TimeSpan.TicksPerSecond;
            var seconds = new long[counts[m]];
            for (int i = 0; i < seconds.Length; i++)
            {
                seconds[i] = (long)(_random.Double() * span);
            }

            Array.Sort(seconds);
            double oneOffWeight = monthTotals[m] * DemoCaseGenerator.OneOffShare;
            var month = new List<CaseRecord>(seconds.Length);
            int first = sequence;
            foreach (long second in seconds)
            {
                DateTime created = from.AddSeconds(second);
                sequence++;
                double pick = _random.Double() * monthTotals[m];
                month.Add(pick < oneOffWeight
                    ? ComposeOneOff(sequence, created, m)
                    : ComposeFamilyCase(sequence, created, m, PickFamily(monthWeights[m], pick - oneOffWeight)));
            }

            // A sudden family starts with an incident on its release: its first cases arrive in a burst.
            // Moving them reorders the month, so ids are given again in created order.
            bool burst = false;
            foreach (CompiledFamily compiled in _families)
            {
                if (compiled.Family.Trend == FamilyTrend.Sudden && compiled.Family.StartMonth == m)
                {
                    _queue.Burst([.. month.Where(r => r.EvalFamily == compiled.Family.Id)], from);
                    burst = true;
                }
            }

            if (burst)
            {
                month = [.. month.OrderBy(r => r.CreatedAt)];
                for (int i = 0; i < month.Count; i++)
                {
                    month[i].ExternalId = "DEMO-" + (first + i + 1).ToString("D6", CultureInfo.InvariantCulture);
                }
            }

            foreach (CaseRecord record in month)
            {
                yield return record;
            }
        }
    }

    // ------------------------------------------------------------------ family cases

    private CaseRecord ComposeFamilyCase(int sequence, DateTime created, int month, CompiledFamily compiled)
    {
        var family = compiled.Family;
        FillSlots(family.ErrorCodes, family.Platforms, Component(family), Version(family, month), created);

        var record = NewRecord(sequence, created, family.ProductArea, _slots.Component, _slots.Platform);
        record.EvalFamily = family.Id;
        record.Technical = true;
        record.Title = Title(compiled.Titles);

        bool codeOmitted = false;
        _middle.Clear();
        var symptom = Variant(compiled.Symptoms);
        _middle.Add(symptom.Render(_slots));
        if (Chance(0.25))
        {
            _middle.Add(Variant(compiled.Symptoms).Render(_slots));
        }

        if (!symptom.HasCode)
        {
            if (Chance(0.9))
            {
                _middle.Add(Pick(_phrases.CodeSentences).Render(_slots));
            }
            else
            {
                codeOmitted = true;
            }
        }

        string? log = compiled.LogLines.Length > 0 && Chance(0.3)
            ? Pick(_phrases.LogIntros) + "\n" + Pick(compiled.LogLines).Render(_slots)
            : null;
        string description = Description(log);
        record.Description = description;

        bool escalate = Chance(family.EscalationShare);
        bool returned = escalate && Chance(family.ReturnedShare);
        var times = Timeline(created, family.EvidenceHours, escalate, returned);
        ApplyTimeline(record, times, returned);

        if (record.FirstEvidenceAt is not null)
        {
            record.EvidenceSteps = EvidenceSteps(compiled, escalate, returned, record.ResolvedAt is null);
        }

        if (record.ResolvedAt is not null)
        {
            record.Cause = Cause(family, escalate);
            record.Resolution = Resolution(family.ResolutionSteps);
        }

        record.Team = Team(family.ProductArea, escalate || family.EvidenceHours > 4);
        record.Tags = Tags(family.Tags);
        record.Comments = Comments(record, codeOmitted, returned);
        record.Customer = _slots.Workspace;
        record.Handoffs = _queue.Handoffs(record);
        record.EscalationAsks = _returns.Asks(record, family);
        return record;
    }

    private string Description(string? log)
    {
        _sb.Clear();
        if (Chance(0.55))
        {
            _sb.Append(Pick(TicketPhrases.Greetings)).Append(Chance(0.5) ? "\n\n" : " ");
        }

        if (Chance(0.6))
        {
            _middle.Add(Pick(_phrases.Context).Render(_slots));
        }

        if (Chance(0.55))
        {
            _middle.Add(Pick(_phrases.Environment).Render(_slots));
        }

        if (Chance(0.45))
        {
            _middle.Add(Pick(TicketPhrases.Tried));
        }

        if (Chance(0.4))
        {
            _middle.Add(Pick(_phrases.Impact).Render(_slots));
        }

        int noise = _random.Int(0, 3);
        for (int i = 0; i < noise; i++)
        {
            _middle.Add(Pick(TicketPhrases.Noise));
        }

        // Symptom first most of the time, as people write; otherwise the story starts with context.
        if (Chance(0.35))
        {
            Shuffle(_middle);
        }

        for (int i = 0; i < _middle.Count; i++)
        {
            _sb.Append(_middle[i]).Append(' ');
        }

        if (log is not null)
        {
            _sb.Append("\n\n").Append(log).Append("\n\n");
        }

        AppendPersonalData();
        while (_sb.Length > 0 && _sb[^1] == ' ')
        {
            _sb.Length--;
        }

        if (Chance(0.5))
        {
            _sb.Append('\n').Append(Pick(TicketPhrases.SignOffs)).Append('\n')
                .Append(Pick(_firstNames));
            if (Chance(0.4))
            {
                _sb.Append(' ').Append(Pick(_lastNames)).Append(", ").Append(Pick(_companies));
            }
        }

        return _sb.ToString().TrimEnd();
    }

    private void AppendPersonalData()
    {
        if (Chance(0.18))
        {
            string sentence = Pick(TicketPhrases.ContactSentences)
                .Replace("{email}", Email(), StringComparison.Ordinal)
                .Replace("{phone}", _faker.Phone.PhoneNumber("+1-555-###-####"), StringComparison.Ordinal);
            _sb.Append(sentence).Append(' ');
        }

        if (Chance(0.025))
        {
            // Obviously fake, but shaped like a live secret key so the importer's redaction has work to do.
            string token = "sk_live_" + _random.AlphaNumeric(24);
            _sb.Append(Pick(TicketPhrases.TokenSentences).Replace("{token}", token, StringComparison.Ordinal)).Append(' ');
        }
    }

    private List<string> EvidenceSteps(CompiledFamily compiled, bool escalated, bool returned, bool open)
    {
        int n = compiled.Steps.Length;
        int take = returned ? _random.Int(1, Math.Max(1, n / 2))
            : escalated ? (Chance(0.7) ? n : Math.Max(1, n - 1))
            : _random.Int(Math.Max(1, n - 2), n);
        if (open)
        {
            take = _random.Int(1, take);
        }

        int skip = take >= 3 && Chance(0.1) ? _random.Int(1, take - 2) : -1;
        var steps = new List<string>(take + 1);
        for (int i = 0; i < take; i++)
        {
            if (i != skip)
            {
                steps.Add(Form(compiled.Steps[i]));
            }
        }

        if (Chance(0.12))
        {
            steps.Insert(_random.Int(1, steps.Count), Pick(TicketPhrases.GenericEvidence));
        }

        return steps;
    }

    private string Cause(IssueFamily family, bool escalated)
    {
        double pick = _random.Double() * family.Causes.Sum(c => c.Weight);
        var cause = family.Causes[^1];
        foreach (var candidate in family.Causes)
        {
            if ((pick -= candidate.Weight) < 0)
            {
                cause = candidate;
                break;
            }
        }

        string text = Pick(TicketPhrases.CausePrefixes) + cause.Text;
        return _random.Int(0, 9) switch
        {
            0 => text + " (seen on " + _slots.Version + ").",
            1 when escalated => text + ". Confirmed by engineering.",
            2 => text + " - confirmed with the customer.",
            _ => text,
        };
    }

    private string Resolution(IReadOnlyList<string> steps)
    {
        int take = Chance(0.8) ? steps.Count : _random.Int(1, steps.Count);
        _sb.Clear();
        int style = _random.Int(0, 2);
        for (int i = 0; i < take; i++)
        {
            switch (style)
            {
                case 0:
                    _sb.Append(i == 0 ? "" : "; ").Append(steps[i]);
                    break;
                case 1:
                    _sb.Append(i == 0 ? "" : "\n").Append(i + 1).Append(". ").Append(steps[i]);
                    break;
                default:
                    _sb.Append(i == 0 ? "" : ", then ").Append(i == 0 ? steps[i] : Lower(steps[i]));
                    break;
            }
        }

        if (style == 2)
        {
            _sb.Append('.');
        }

        return _sb.ToString();
    }

    // ------------------------------------------------------------------ one-off cases

    private CaseRecord ComposeOneOff(int sequence, DateTime created, int month)
    {
        var (feature, area) = Pick(TicketPhrases.OneOffFeatures);
        string code = _random.Int(0, 3) switch
        {
            0 => "ERR_" + Pick(TicketPhrases.OneOffCodeWords) + "_" + Pick(TicketPhrases.OneOffCodeWords),
            1 => "0x8007" + _random.Hexadecimal(4, "").ToUpperInvariant(),
            2 => "E" + _random.Int(1000, 9999).ToString(CultureInfo.InvariantCulture),
            _ => "HTTP 500",
        };
        string platform = Pick(s_oneOffPlatforms);
        FillSlots([code], [platform], feature, PlatformVersion(Math.Max(0, month - _random.Int(0, 2))), created);

        var record = NewRecord(sequence, created, area, Capitalize(feature), platform);
        bool howTo = Chance(0.25);
        record.Technical = !howTo;
        _middle.Clear();
        if (howTo)
        {
            string topic = Pick(TicketPhrases.HowToTopics);
            record.Title = Chance(0.5) ? "How do I " + topic + "?" : "Question: " + topic;
            _middle.Add("Quick question: how can I " + topic + "? I looked in the settings but couldn't find it.");
        }
        else
        {
            string problem = Pick(_phrases.OneOffProblems).Render(_slots);
            string action = Pick(TicketPhrases.OneOffActions);
            record.Title = Capitalize(feature) + " " + problem;
            _middle.Add("The " + feature + " " + problem + " when I " + action + ".");
            _middle.Add(Chance(0.5)
                ? "It started around " + _slots.Version + " and happens for " + _slots.Number + " of our users."
                : "This happens on " + platform + ", error code " + code + ".");
        }

        record.Description = Description(null);
        bool escalate = !howTo && Chance(0.15);
        bool returned = escalate && Chance(0.2);
        ApplyTimeline(record, Timeline(created, howTo ? 1.0 : 4.0, escalate, returned), returned);

        if (record.FirstEvidenceAt is not null)
        {
            int steps = _random.Int(1, 3);
            record.EvidenceSteps = howTo
                ? ["Clarified what the customer wants to do"]
                : [.. Enumerable.Range(0, steps).Select(i => TicketPhrases.GenericEvidence[(i + sequence) % TicketPhrases.GenericEvidence.Length])];
        }

        if (record.ResolvedAt is not null)
        {
            record.Cause = howTo ? "How-to question, no defect" : Pick(TicketPhrases.OneOffCauses).Replace("{feature}", feature, StringComparison.Ordinal);
            record.Resolution = howTo ? "Sent the help center article on how to " + Pick(TicketPhrases.HowToTopics) : Pick(TicketPhrases.OneOffResolutions);
        }

        record.Team = Team(area, escalate);
        record.Tags = howTo ? ["how-to"] : Tags([ToTag(area)]);
        record.Comments = Comments(record, codeOmitted: false, returned);
        record.Customer = _slots.Workspace;
        record.Handoffs = _queue.Handoffs(record);
        record.EscalationAsks = _returns.Asks(record, null);
        return record;
    }

    private static readonly string[] s_oneOffPlatforms =
        ["Chrome 126", "Edge 126", "Firefox 128", "Safari 17", "Windows 11", "macOS 14", "iOS 17.5", "Android 14"];

    // ------------------------------------------------------------------ shared pieces

    private CaseRecord NewRecord(int sequence, DateTime created, string area, string component, string platform) => new()
    {
        ExternalId = "DEMO-" + sequence.ToString("D6", CultureInfo.InvariantCulture),
        Source = DemoCaseGenerator.Source,
        Product = area,
        Component = component,
        Version = _slots.Version,
        Platform = platform,
        CreatedAt = created,
    };

    private void FillSlots(IReadOnlyList<string> codes, IReadOnlyList<string> platforms, string component, string version, DateTime created)
    {
        _slots.Code = Pick(codes);
        _slots.Platform = Pick(platforms);
        _slots.Component = component;
        _slots.Version = version;
        _slots.Number = _random.Int(2, 60).ToString(CultureInfo.InvariantCulture);
        _slots.Timestamp = created.AddMinutes(-_random.Int(1, 90)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        _slots.Workspace = Slug(Pick(_companies));
    }

    private string Component(IssueFamily family) =>
        family.Components.Count == 1 || Chance(0.75) ? family.Components[0] : Pick(family.Components);

    private string Version(IssueFamily family, int month)
    {
        // Customers lag behind the release train; sudden families only exist from their release on.
        int earliest = family.Trend == FamilyTrend.Sudden ? family.StartMonth : 0;
        int release = Math.Max(earliest, month - _random.Int(0, 2));
        return family.ProductArea == IssueFamilies.Mobile ? MobileVersion(release) : PlatformVersion(release);
    }

    // One web release a month (v4.3 in the first month of the window) and a mobile release every two.
    private string PlatformVersion(int month) => "v4." + (3 + month).ToString(CultureInfo.InvariantCulture) + "." + _random.Int(0, 4).ToString(CultureInfo.InvariantCulture);

    private string MobileVersion(int month) => "7." + (1 + (month / 2)).ToString(CultureInfo.InvariantCulture) + "." + _random.Int(0, 3).ToString(CultureInfo.InvariantCulture);

    private string Title(TextTemplate[][] titles)
    {
        string title = Variant(titles).Render(_slots);
        return _random.Int(0, 19) switch
        {
            0 or 1 => Pick(TicketPhrases.TitlePrefixes) + title,
            2 => title.ToLowerInvariant(),
            3 when !title.Contains(_slots.Code, StringComparison.Ordinal) => title + " (" + _slots.Code + ")",
            _ => title,
        };
    }

    private readonly record struct Times(DateTime Assigned, DateTime Evidence, DateTime? Escalated, DateTime Resolved);

    private Times Timeline(DateTime created, double evidenceHours, bool escalate, bool returned)
    {
        DateTime assigned = created.AddMinutes(Math.Clamp(LogNormal(35, 1.0), 1, 16 * 60));
        DateTime evidence = assigned.AddMinutes(Math.Clamp(LogNormal(evidenceHours * 60, 0.8), 5, 7 * 24 * 60));
        DateTime? escalated = escalate ? evidence.AddMinutes(Math.Clamp(LogNormal(5 * 60, 0.9), 10, 5 * 24 * 60)) : null;
        double toResolve = escalate ? LogNormal(48 * 60, 0.8) : LogNormal(6 * 60, 1.0);
        if (returned)
        {
            toResolve += LogNormal(30 * 60, 0.6);
        }

        DateTime resolved = (escalated ?? evidence).AddMinutes(Math.Clamp(toResolve, 10, 30 * 24 * 60));
        return new Times(TruncateToSeconds(assigned), TruncateToSeconds(evidence),
            escalated is null ? null : TruncateToSeconds(escalated.Value), TruncateToSeconds(resolved));
    }

    private void ApplyTimeline(CaseRecord record, Times times, bool returned)
    {
        // Recent cases are still being worked on: certainly those that would resolve after the window
        // end, and a share that falls off with age (≈6% of all cases end up open).
        double ageDays = (_end - record.CreatedAt!.Value).TotalDays;
        double openChance = ageDays < 3 ? 0.95 : ageDays < 10 ? 0.7 : ageDays < 30 ? 0.35 : ageDays < 60 ? 0.12 : 0.005;
        bool open = times.Resolved > _end || Chance(openChance);

        record.AssignedAt = Within(times.Assigned);
        record.FirstEvidenceAt = record.AssignedAt is null ? null : Within(times.Evidence);
        record.EscalatedAt = record.FirstEvidenceAt is null || times.Escalated is null ? null : Within(times.Escalated.Value);
        record.ResolvedAt = open ? null : times.Resolved;
        record.Status = open ? "open" : Chance(0.8) ? "resolved" : "closed";
        record.EngineeringInvolved = record.EscalatedAt is not null;
        record.EscalationReturned = record.EscalatedAt is not null && returned;
    }

    private DateTime Between(DateTime from, DateTime to) =>
        to <= from ? from : from.AddSeconds((long)(_random.Double() * ((to - from).Ticks / TimeSpan.TicksPerSecond)));

    private DateTime? Within(DateTime time) => time <= _end ? time : null;

    private List<CommentRecord> Comments(CaseRecord record, bool codeOmitted, bool returned)
    {
        // Customers write any time after opening; agents only once the case is assigned.
        DateTime from = record.CreatedAt!.Value;
        DateTime agentFrom = record.AssignedAt ?? from;
        DateTime to = record.ResolvedAt ?? _end;
        int count = _random.Int(1, 3);
        var comments = new List<CommentRecord>(count + 2);
        if (codeOmitted && Chance(0.6))
        {
            comments.Add(Comment("customer", "Forgot to mention: the error is " + _slots.Code + "."));
            count--;
        }

        if (record.EscalatedAt is not null)
        {
            comments.Add(Comment("engineering", Pick(returned ? _phrases.ReturnedComments : _phrases.EngineeringComments).Render(_slots), record.EscalatedAt));
        }

        for (int i = 0; i < count; i++)
        {
            bool customer = Chance(0.5);
            // The last agent phrases close the case; an open case only gets the investigating ones.
            var pool = customer ? _phrases.CustomerComments : _phrases.AgentComments;
            int last = !customer && record.ResolvedAt is null ? pool.Length - 3 : pool.Length - 1;
            comments.Add(Comment(customer ? "customer" : "agent", pool[_random.Int(0, last)].Render(_slots)));
        }

        comments.Sort((a, b) => a.CreatedAt!.Value.CompareTo(b.CreatedAt!.Value));
        return comments;

        CommentRecord Comment(string author, string body, DateTime? at = null) => new()
        {
            Author = author,
            Public = author != "engineering",
            CreatedAt = at ?? Between(author == "agent" ? agentFrom : from, to),
            Body = body,
        };
    }

    private string Team(string area, bool complex)
    {
        string region = Pick(TicketPhrases.Regions);
        if (area == IssueFamilies.Billing && Chance(0.5))
        {
            return "Billing Desk " + region;
        }

        bool tier2 = complex ? Chance(0.6) : Chance(0.2);
        return (tier2 ? "Tier 2 " : "Tier 1 ") + region;
    }

    private List<string> Tags(IReadOnlyList<string> tags)
    {
        var result = new List<string>(tags.Count + 1);
        foreach (string tag in tags)
        {
            if (Chance(0.75))
            {
                result.Add(tag);
            }
        }

        if (Chance(0.1))
        {
            result.Add(Pick(TicketPhrases.ExtraTags));
        }

        return result;
    }

    private string Email() =>
        (Pick(_firstNames) + "." + Pick(_lastNames)).ToLowerInvariant().Replace(' ', '-').Replace('\'', '-') + "@example." + (Chance(0.5) ? "com" : "org");

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Int(0, items.Count - 1)];

    /// <summary>Picks one phrasing, then its spelling: as written (65%), with typos (20%) or informal (15%).</summary>
    private T Variant<T>(T[][] variants) => Form(variants[_random.Int(0, variants.Length - 1)]);

    private T Form<T>(T[] forms)
    {
        int roll = _random.Int(0, 99);
        return forms[roll < 65 ? 0 : roll < 85 ? 1 : 2];
    }

    private bool Chance(double probability) => _random.Double() < probability;

    private CompiledFamily PickFamily(double[] weights, double pick)
    {
        for (int f = 0; f < weights.Length; f++)
        {
            if ((pick -= weights[f]) < 0)
            {
                return _families[f];
            }
        }

        // Floating-point remainder: fall back to the last family with any weight this month.
        for (int f = weights.Length - 1; ; f--)
        {
            if (weights[f] > 0)
            {
                return _families[f];
            }
        }
    }

    private void Shuffle(List<string> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = _random.Int(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private double LogNormal(double median, double sigma)
    {
        // Box-Muller: support durations are long-tailed; most cases are quick, a few take days.
        double u1 = 1.0 - _random.Double();
        double u2 = _random.Double();
        double normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return median * Math.Exp(sigma * normal);
    }

    private static string[] Pool(Func<string> next)
    {
        var pool = new string[NamePoolSize];
        for (int i = 0; i < pool.Length; i++)
        {
            pool[i] = next();
        }

        return pool;
    }

    /// <summary>Largest-remainder split of <paramref name="total"/> in proportion to <paramref name="weights"/>.</summary>
    internal static int[] Apportion(int total, double[] weights)
    {
        double sum = weights.Sum();
        var counts = new int[weights.Length];
        var remainders = new (double Remainder, int Index)[weights.Length];
        int assigned = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double exact = total * weights[i] / sum;
            counts[i] = (int)Math.Floor(exact);
            remainders[i] = (exact - counts[i], i);
            assigned += counts[i];
        }

        Array.Sort(remainders, (a, b) => b.Remainder != a.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (int i = 0; assigned < total; i = (i + 1) % remainders.Length, assigned++)
        {
            counts[remainders[i].Index]++;
        }

        return counts;
    }

    private static DateTime TruncateToSeconds(DateTime time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string ToTag(string area) => area.ToLowerInvariant().Replace('/', '-').Replace(' ', '-');

    private static string Slug(string company)
    {
        var sb = new StringBuilder(company.Length);
        foreach (char c in company)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().TrimEnd('-');
    }

    // ------------------------------------------------------------------ compiled catalog

    private static CompiledFamily[] CompileFamilies()
    {
        // A fixed seed, not the run's: the typo variants are part of the catalog, the same for all runs.
        var random = new Randomizer(20_240_917);
        return [.. IssueFamilies.All.Select(f => new CompiledFamily(f, random))];
    }
}

/// <summary>An <see cref="IssueFamily"/> with its text parsed once into templates and spelling variants.</summary>
internal sealed class CompiledFamily
{
    public CompiledFamily(IssueFamily family, Randomizer random)
    {
        Family = family;
        Titles = [.. family.Titles.Select(t => Forms(t, random))];
        Symptoms = [.. family.Symptoms.Select(s => Forms(s, random))];
        LogLines = [.. family.LogLines.Select(TextTemplate.Parse)];
        Steps = [.. family.EvidenceSteps.Select(s => new[]
        {
            s,
            s + TicketPhrases.StepSuffixes[random.Int(0, TicketPhrases.StepSuffixes.Length - 1)],
            char.ToLowerInvariant(s[0]) + s[1..],
        })];
    }

    public IssueFamily Family { get; }

    public TextTemplate[][] Titles { get; }

    public TextTemplate[][] Symptoms { get; }

    public TextTemplate[] LogLines { get; }

    public string[][] Steps { get; }

    private static TextTemplate[] Forms(string text, Randomizer random)
    {
        var parsed = TextTemplate.Parse(text);
        return [parsed, parsed.WithTypos(random), parsed.Informal()];
    }
}

/// <summary>The shared phrase pools that contain slots, parsed once.</summary>
internal sealed class PhraseTemplates
{
    public TextTemplate[] Context { get; } = Parse(TicketPhrases.Context);

    public TextTemplate[] Environment { get; } = Parse(TicketPhrases.Environment);

    public TextTemplate[] CodeSentences { get; } = Parse(TicketPhrases.CodeSentences);

    public TextTemplate[] Impact { get; } = Parse(TicketPhrases.Impact);

    public string[] LogIntros { get; } = TicketPhrases.LogIntros;

    public TextTemplate[] CustomerComments { get; } = Parse(TicketPhrases.CustomerComments);

    public TextTemplate[] AgentComments { get; } = Parse(TicketPhrases.AgentComments);

    public TextTemplate[] EngineeringComments { get; } = Parse(TicketPhrases.EngineeringComments);

    public TextTemplate[] ReturnedComments { get; } = Parse(TicketPhrases.ReturnedComments);

    public TextTemplate[] OneOffProblems { get; } = Parse(TicketPhrases.OneOffProblems);

    private static TextTemplate[] Parse(string[] texts) => Array.ConvertAll(texts, TextTemplate.Parse);
}

using System.Text.RegularExpressions;

namespace TicketOps.Core.Import;

/// <summary>
/// Removes personal data and secrets from ticket text before it is stored (and before anything is sent
/// to an LLM). Each kind is replaced by a bracketed marker (<c>[email]</c>, <c>[phone]</c>, ...) so a
/// reader still sees that something was there. Patterns are deliberately conservative around what
/// technical tickets hinge on: error codes (0x80070005), versions (v4.12.3) and dates are left alone.
/// </summary>
public static partial class PersonalDataRedactor
{
    /// <summary>Redacts <paramref name="text"/>; null stays null.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        // Order matters: secrets and URLs with credentials contain '@' and digits that the email and
        // phone patterns would otherwise half-match.
        string result = PrivateKeyBlock().Replace(text, "[private key]");
        result = UrlCredentials().Replace(result, "${scheme}[credentials]@");
        result = Jwt().Replace(result, "[token]");
        result = AuthorizationHeader().Replace(result, "${scheme} [token]");
        result = KnownKeyFormat().Replace(result, "[secret]");
        result = SecretAssignment().Replace(result, "${name}${sep}[secret]");
        result = Email().Replace(result, "[email]");
        result = Iban().Replace(result, "[iban]");
        result = CardNumber().Replace(result, m => PassesLuhn(m.Value) ? "[card]" : m.Value);
        result = IpV4().Replace(result, "[ip]");
        result = Phone().Replace(result, m => LooksLikePhone(m.Value) ? "[phone]" : m.Value);
        return result;
    }

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----")]
    private static partial Regex PrivateKeyBlock();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)[^\s/:@]+:[^\s/@]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlCredentials();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]{8,}=*", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationHeader();

    // Vendor key formats seen in support tickets: Stripe-style (sk_live_), OpenAI-style (sk-), GitHub,
    // Slack, AWS access key ids, Google API keys.
    [GeneratedRegex(@"\b(?:(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{8,}|sk-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})\b")]
    private static partial Regex KnownKeyFormat();

    [GeneratedRegex(@"(?<name>\b(?:api[_-]?key|apikey|access[_-]?key|secret(?:[_-]?key)?|client[_-]?secret|token|auth[_-]?token|access[_-]?token|password|passwd|pwd)\b)(?<sep>\s*[:=]\s*""?|\s+is\s+)(?!\[)[^\s""',;]{4,}", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")]
    private static partial Regex Email();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")]
    private static partial Regex Iban();

    [GeneratedRegex(@"(?<![\w.-])\d(?:[ -]?\d){12,18}(?![\w.-])")]
    private static partial Regex CardNumber();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.])")]
    private static partial Regex IpV4();

    // A phone number: optional +country code, optional (area), then 2-4 groups of digits separated by
    // space, dot or dash; the digit count is checked afterwards.
    [GeneratedRegex(@"(?<![\w.+/:-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w/:-]|\.\d)")]
    private static partial Regex Phone();

    private static bool LooksLikePhone(string candidate)
    {
        int digits = candidate.Count(char.IsAsciiDigit);
        if (digits is < 9 or > 15)
        {
            return false;
        }

        // Dates and times (2024-03-05, 2024.03.05 10 30) are not phone numbers.
        if (candidate.Length >= 10 && char.IsAsciiDigit(candidate[0]) && (candidate.StartsWith("19", StringComparison.Ordinal) || candidate.StartsWith("20", StringComparison.Ordinal))
            && candidate.Length > 4 && candidate[4] is '-' or '.')
        {
            return false;
        }

        // Dotted groups without a leading + or parentheses look like version numbers or OIDs.
        bool dotted = candidate.Contains('.', StringComparison.Ordinal);
        return !dotted || candidate.StartsWith('+') || candidate.Contains('(', StringComparison.Ordinal);
    }

    private static bool PassesLuhn(string candidate)
    {
        int sum = 0;
        bool doubleIt = false;
        int count = 0;
        for (int i = candidate.Length - 1; i >= 0; i--)
        {
            char c = candidate[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            int digit = c - '0';
            if (doubleIt)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
            doubleIt = !doubleIt;
            count++;
        }

        return count is >= 13 and <= 19 && sum % 10 == 0;
    }
}

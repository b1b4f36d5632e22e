using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace TicketOps.Web.Pages;

/// <summary>How numbers and marked-up text are written on the pages (invariant, "n/a" for missing values).</summary>
internal static class PageText
{
    /// <summary>A share as a percentage with one decimal, or "n/a".</summary>
    public static string Percent(double? share) => share is { } value ? (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a";

    /// <summary>A number with up to <paramref name="decimals"/> decimals, or "n/a".</summary>
    public static string Number(double? value, int decimals = 2) =>
        value is { } v ? v.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A score with two decimals.</summary>
    public static string Score(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A UTC day.</summary>
    public static string Day(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A month label, e.g. 2026-03.</summary>
    public static string Month(DateTime value) => value.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>
    /// A matcher snippet with its <c>**term**</c> marks as <c>&lt;mark&gt;</c>; everything else is encoded,
    /// so a case's text can never inject markup.
    /// </summary>
    public static IHtmlContent Snippet(string snippet)
    {
        ArgumentNullException.ThrowIfNull(snippet);
        string[] parts = snippet.Split("**");
        var html = new HtmlContentBuilder();
        for (int i = 0; i < parts.Length; i++)
        {
            string encoded = HtmlEncoder.Default.Encode(parts[i]);
            html.AppendHtml(i % 2 == 1 && i < parts.Length - 1 ? $"<mark>{encoded}</mark>" : encoded);
        }

        return html;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Html;

namespace TicketOps.Web.Pages;

/// <summary>
/// A chart as Chart.js reads it: labels along the x axis and one series per dataset. Pages write it into a
/// <c>script type="application/json"</c> element beside the canvas; <c>wwwroot/js/charts.js</c> draws it.
/// The numbers are the ones in the table next to the chart, which stays the accessible (and tested) copy.
/// </summary>
/// <param name="Type">line or bar.</param>
/// <param name="Labels">The x axis.</param>
/// <param name="Datasets">The series.</param>
/// <param name="YAxis">What the y axis counts, e.g. "cases" or "%".</param>
internal sealed record ChartData(string Type, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Datasets, string YAxis)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The chart as JSON, safe inside a script element (the serializer escapes &lt; and &gt;).</summary>
    public IHtmlContent ToJson() => new HtmlString(JsonSerializer.Serialize(this, s_json));
}

/// <summary>One series of a chart; null values are gaps (n/a), not zeros.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="Data">One value per label.</param>
internal sealed record ChartSeries(string Label, IReadOnlyList<double?> Data);
